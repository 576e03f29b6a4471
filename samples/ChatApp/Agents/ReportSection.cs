using System.Text.RegularExpressions;

namespace Agents.Samples.ChatApp.Agents;

/// <summary>One section of a deep-research report: a line <c>- [TODO] Title</c> of the writer's <c>report_outline.md</c>.</summary>
/// <param name="Title">The section title (untrusted model output).</param>
/// <param name="Status"><see cref="Planned"/>, <see cref="Writing"/> or <see cref="Complete"/>.</param>
internal sealed partial record ReportSection(string Title, string Status)
{
    public const string Planned = "planned";
    public const string Writing = "writing";
    public const string Complete = "complete";

    /// <summary>Reads the sections of an outline, in order; lines that are not section lines are skipped.</summary>
    public static IReadOnlyList<ReportSection> Parse(string? outline)
    {
        var sections = new List<ReportSection>();
        foreach (Match match in Line().Matches(outline ?? string.Empty))
        {
            var title = match.Groups["title"].Value.Trim().TrimStart('#').Trim();
            var status = match.Groups["status"].Value.ToUpperInvariant() switch
            {
                "COMPLETE" => Complete,
                "IN-PROGRESS" => Writing,
                _ => Planned,
            };
            if (title.Length > 0)
            {
                sections.Add(new ReportSection(title.Length <= 200 ? title : title[..200], status));
            }
        }

        return sections;
    }

    [GeneratedRegex(@"^[ \t]*(?:[-*+]|\d+\.)?[ \t]*\[(?<status>TODO|IN-PROGRESS|COMPLETE)\][ \t]*(?<title>[^\r\n]+)$", RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Line();
}
