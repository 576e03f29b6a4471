using System.Text;
using System.Text.RegularExpressions;

namespace Agents.Planners.DeepResearch;

/// <summary>Reads the open topics from index.md and merges the sub-researchers' findings back into it.</summary>
internal static partial class TopicIndex
{
    /// <summary>The heading under which merged findings are appended.</summary>
    public const string FindingsHeading = "## Findings";

    /// <summary>The open topics of index.md in file order (at most <paramref name="max"/>), each with a distinct folder.</summary>
    public static IReadOnlyList<ResearchTopic> OpenTopics(string? index, int max)
    {
        var topics = new List<ResearchTopic>();
        var slugs = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in TodoLine().Matches(index ?? string.Empty))
        {
            if (topics.Count == max)
            {
                break;
            }

            var title = match.Groups[1].Value.Trim();
            if (title.Length == 0 || topics.Any(t => string.Equals(t.Title, title, StringComparison.Ordinal)))
            {
                continue;
            }

            var slug = Slug(title);
            var unique = slug;
            for (var n = 2; !slugs.Add(unique); n++)
            {
                unique = string.Create(CultureInfo.InvariantCulture, $"{slug}-{n}");
            }

            topics.Add(new ResearchTopic(title, $"knowledge_base/{unique}"));
        }

        return topics;
    }

    /// <summary>
    /// Merges findings into index.md: in the given (topic) order, every finding line not yet in the index (compared trimmed)
    /// is appended under <see cref="FindingsHeading"/>; the "[TODO]" item of every completed topic becomes "[COMPLETE]".
    /// </summary>
    public static string Merge(string index, IEnumerable<(ResearchTopic Topic, string? Findings, bool Completed)> results)
    {
        var lines = index.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n').ToList();
        var seen = new HashSet<string>(lines.Select(l => l.Trim()), StringComparer.Ordinal);
        var added = new List<string>();
        foreach (var (topic, findings, completed) in results)
        {
            if (completed)
            {
                var at = lines.FindIndex(l => TodoLine().Match(l) is { Success: true } m && string.Equals(m.Groups[1].Value.Trim(), topic.Title, StringComparison.Ordinal));
                if (at >= 0)
                {
                    lines[at] = lines[at].Replace("[TODO]", "[COMPLETE]", StringComparison.Ordinal);
                }
            }

            foreach (var raw in (findings ?? string.Empty).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
            {
                var line = raw.TrimEnd();
                if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#') || !seen.Add(line.Trim()))
                {
                    continue;
                }

                added.Add(line.TrimStart().StartsWith('-') ? line.Trim() : "- " + line.Trim());
            }
        }

        var text = new StringBuilder(string.Join('\n', lines)).Append('\n');
        if (added.Count > 0)
        {
            if (!lines.Any(l => string.Equals(l.Trim(), FindingsHeading, StringComparison.Ordinal)))
            {
                text.Append('\n').Append(FindingsHeading).Append('\n');
            }

            foreach (var line in added)
            {
                text.Append(line).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string Slug(string title)
    {
        var slug = new StringBuilder();
        foreach (var c in title.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }

            if (slug.Length >= 40)
            {
                break;
            }
        }

        var result = slug.ToString().Trim('-');
        return result.Length == 0 ? "topic" : result;
    }

    [GeneratedRegex(@"^[ \t]*[-*][ \t]*\[TODO\][ \t]*(.+?)[ \t]*\r?$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex TodoLine();
}
