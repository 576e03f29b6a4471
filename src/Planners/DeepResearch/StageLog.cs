using System.Text.RegularExpressions;

namespace Agents.Planners.DeepResearch;

/// <summary>Reads the state of a stage from its log: round headings and the stage-complete marker.</summary>
internal static partial class StageLog
{
    /// <summary>The highest <c># Round N</c> heading in the log, 0 when none.</summary>
    public static int LastRound(string? log)
    {
        if (string.IsNullOrEmpty(log))
        {
            return 0;
        }

        var last = 0;
        foreach (Match match in RoundHeading().Matches(log))
        {
            if (int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var round))
            {
                last = Math.Max(last, round);
            }
        }

        return last;
    }

    /// <summary>Whether the marker is a whole line of <paramref name="text"/> (surrounding white space allowed).</summary>
    public static bool HasMarker(string? text) => !string.IsNullOrEmpty(text) && MarkerLine().IsMatch(text);

    [GeneratedRegex(@"^#[ \t]+Round[ \t]+(\d{1,6})[ \t]*\r?$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex RoundHeading();

    [GeneratedRegex(@"^[ \t]*\[ALL COMPLETE\][ \t]*\r?$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex MarkerLine();
}
