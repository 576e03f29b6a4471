using System.Text.RegularExpressions;

namespace Agents.Samples.ChatApp.Agents;

/// <summary>
/// Finds the sources of an answer: markdown links and bare http(s) addresses in the text, in order; when the
/// text names none, the pages the agent read.
/// </summary>
internal static partial class CitationExtractor
{
    public static IReadOnlyList<Citation> Extract(string answer, IEnumerable<string> pagesRead)
    {
        var citations = new List<Citation>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in LinkPattern().Matches(answer))
        {
            var url = match.Groups["url"].Success ? match.Groups["url"].Value : match.Groups["bare"].Value.TrimEnd('.', ',', ';', ':', ')', ']');
            if (!IsWebAddress(url) || !seen.Add(url))
            {
                continue;
            }

            var title = match.Groups["title"].Success ? match.Groups["title"].Value : new Uri(url).Host;
            citations.Add(new Citation(citations.Count + 1, title, url));
        }

        if (citations.Count == 0)
        {
            foreach (var url in pagesRead)
            {
                if (IsWebAddress(url) && seen.Add(url))
                {
                    citations.Add(new Citation(citations.Count + 1, new Uri(url).Host, url));
                }
            }
        }

        return citations;
    }

    private static bool IsWebAddress(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    [GeneratedRegex(@"\[(?<title>[^\]\r\n]{1,200})\]\((?<url>https?://[^)\s]+)\)|(?<bare>https?://[^\s<>""'\]\)]+)", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex LinkPattern();
}
