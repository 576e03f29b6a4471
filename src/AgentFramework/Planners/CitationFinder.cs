using System.Text.Json;
using System.Text.RegularExpressions;
using Agents.Planners.Runs;

namespace Agents.AgentFramework;

/// <summary>
/// Finds the sources of an answer as <see cref="CitationAnnotation"/>s: markdown links and bare http(s) addresses in
/// the text, in order; when the text names none, the pages the run read (the <c>urls</c> of tool calls that ran).
/// </summary>
internal static partial class CitationFinder
{
    public static List<AIAnnotation> Find(string answer, AgentTrajectory trajectory)
    {
        var citations = new List<AIAnnotation>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in LinkPattern().Matches(answer))
        {
            string url = match.Groups["url"].Success ? match.Groups["url"].Value : match.Groups["bare"].Value.TrimEnd('.', ',', ';', ':', ')', ']');
            if (TryWeb(url, out Uri? uri) && seen.Add(url))
            {
                citations.Add(new CitationAnnotation
                {
                    Url = uri,
                    Title = match.Groups["title"].Success ? match.Groups["title"].Value : uri.Host,
                    AnnotatedRegions = [new TextSpanAnnotatedRegion { StartIndex = match.Index, EndIndex = match.Index + match.Length }],
                });
            }
        }

        if (citations.Count > 0)
        {
            return citations;
        }

        foreach (ToolCallRecord call in trajectory.ToolCalls)
        {
            if (!call.Executed || !call.Arguments.TryGetValue("urls", out object? urls))
            {
                continue;
            }

            foreach (string url in Strings(urls))
            {
                if (TryWeb(url, out Uri? uri) && seen.Add(url))
                {
                    citations.Add(new CitationAnnotation { Url = uri, Title = uri.Host, ToolName = call.Name });
                }
            }
        }

        return citations;
    }

    private static IEnumerable<string> Strings(object? value) => value switch
    {
        string s => [s],
        IEnumerable<string> list => list,
        JsonElement { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!),
        JsonElement { ValueKind: JsonValueKind.String } one => [one.GetString()!],
        _ => [],
    };

    private static bool TryWeb(string url, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Uri? uri) =>
        Uri.TryCreate(url, UriKind.Absolute, out uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    [GeneratedRegex(@"\[(?<title>[^\]\r\n]{1,200})\]\((?<url>https?://[^)\s]+)\)|(?<bare>https?://[^\s<>""'\]\)]+)", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex LinkPattern();
}
