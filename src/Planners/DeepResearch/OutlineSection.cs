using System.Text.RegularExpressions;

namespace Agents.Planners.DeepResearch;

/// <summary>One section line of <c>report_outline.md</c>: <c>- [TODO] Title</c>.</summary>
internal sealed partial record OutlineSection(string Title, string Status)
{
    public const string Todo = "TODO";
    public const string InProgress = "IN-PROGRESS";
    public const string Complete = "COMPLETE";

    public bool IsComplete => Status == Complete;

    public static IReadOnlyList<OutlineSection> Parse(string? outline)
    {
        if (string.IsNullOrEmpty(outline))
        {
            return [];
        }

        var sections = new List<OutlineSection>();
        foreach (Match match in Line().Matches(outline))
        {
            var title = match.Groups["title"].Value.Trim().TrimStart('#').Trim();
            if (title.Length > 0)
            {
                sections.Add(new OutlineSection(title, match.Groups["status"].Value.ToUpperInvariant()));
            }
        }

        return sections;
    }

    [GeneratedRegex(@"^[ \t]*(?:[-*+]|\d+\.)?[ \t]*\[(?<status>TODO|IN-PROGRESS|COMPLETE)\][ \t]*(?<title>[^\r\n]+)$", RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Line();
}
