using System.Text.RegularExpressions;

namespace Agents.Planners.Runs;

/// <summary>Reads the final answer and the optional confidence out of a model reply.</summary>
internal static partial class AnswerExtractor
{
    /// <summary>Gets the text inside <c>&lt;answer&gt;</c> tags, or <see langword="null"/> when there are none.</summary>
    public static string? TaggedAnswer(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        Match m = AnswerTag().Match(text);
        return m.Success ? m.Groups[1].Value.Trim() : null;
    }

    /// <summary>Gets the tagged answer, else the whole reply trimmed; empty replies give <see langword="null"/>.</summary>
    public static string? AnswerOrText(string? text)
    {
        string? tagged = TaggedAnswer(text);
        if (tagged is not null)
        {
            return tagged.Length == 0 ? null : tagged;
        }

        string? trimmed = text?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    /// <summary>Reads <c>&lt;confidence&gt;0.8&lt;/confidence&gt;</c> or <c>Confidence: 80%</c>; values over 1 are percentages.</summary>
    public static double? Confidence(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        Match m = ConfidencePattern().Match(text);
        if (!m.Success || !double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            return null;
        }

        if (m.Groups[2].Success || value > 1)
        {
            value /= 100;
        }

        return Math.Clamp(value, 0, 1);
    }

    [GeneratedRegex(@"<answer>\s*(.*?)\s*(?:</answer>|$)", RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AnswerTag();

    [GeneratedRegex(@"(?:<confidence>|confidence\s*[:=])\s*([0-9]+(?:\.[0-9]+)?)\s*(%)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ConfidencePattern();
}
