using System.Text.RegularExpressions;

namespace Agents.Samples.ChatApp.Agents;

/// <summary>
/// Reads the research tools' text results (<c>&lt;search_results&gt;</c>, <c>&lt;web_page&gt;</c>) into a
/// one-line summary and cards, so the page never shows the tools' markup.
/// </summary>
internal static partial class ToolResultParser
{
    private const int MaxSummaryChars = 400;
    private const int MaxCardTextChars = 300;
    private const int MaxCards = 20;

    /// <summary>Parses one tool result.</summary>
    /// <param name="result">The text the tool returned to the model.</param>
    /// <returns>The summary line and the cards (empty for results that are neither search hits nor pages).</returns>
    public static (string Summary, IReadOnlyList<ResultCard> Cards) Parse(string result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var budgetAt = result.IndexOf("<budget>", StringComparison.Ordinal);
        var text = (budgetAt >= 0 ? result[..budgetAt] : result).Trim();

        var hits = SearchHit().Matches(text);
        if (text.Contains("<search_results", StringComparison.Ordinal))
        {
            var cards = hits.Take(MaxCards)
                .Select(m => new ResultCard(m.Groups["title"].Value.Trim(), m.Groups["url"].Value.Trim(), Shorten(m.Groups["snippet"].Value)))
                .ToList();
            var queries = SearchQuery().Count(text);
            var failed = text.Contains("Search failed:", StringComparison.Ordinal) ? " (a search failed)" : string.Empty;
            var summary = string.Create(CultureInfo.InvariantCulture,
                $"{hits.Count} result{(hits.Count == 1 ? string.Empty : "s")} for {queries} quer{(queries == 1 ? "y" : "ies")}{failed}");
            return (summary, cards);
        }

        var pages = WebPage().Matches(text);
        if (pages.Count > 0)
        {
            var cards = pages.Take(MaxCards)
                .Select(m => new ResultCard(m.Groups["title"].Value.Trim(), m.Groups["url"].Value.Trim(), Shorten(m.Groups["body"].Value)))
                .ToList();
            var summary = pages.Count == 1
                ? $"Read \u201C{Title(cards[0])}\u201D (page {pages[0].Groups["page"].Value})"
                : string.Create(CultureInfo.InvariantCulture, $"Read {pages.Count} pages");
            return (summary, cards);
        }

        var plain = Tag().Replace(text, string.Empty).Trim();
        return (plain.Length <= MaxSummaryChars ? plain : string.Concat(plain.AsSpan(0, MaxSummaryChars), "..."), []);
    }

    private static string Title(ResultCard card) => card.Title.Length > 0 ? card.Title : card.Url;

    private static string Shorten(string text)
    {
        var oneLine = Whitespace().Replace(text, " ").Trim();
        return oneLine.Length <= MaxCardTextChars ? oneLine : string.Concat(oneLine.AsSpan(0, MaxCardTextChars), "\u2026");
    }

    [GeneratedRegex(@"^\[(?<n>\d+)\] (?<title>[^\n]*)\n {4}(?<url>\S+)\n(?: {4}published [^\n]*\n)?(?: {4}(?<snippet>[^\n]*)\n?)?", RegexOptions.Multiline, 1000)]
    private static partial Regex SearchHit();

    [GeneratedRegex(@"^## Query \d+:", RegexOptions.Multiline, 1000)]
    private static partial Regex SearchQuery();

    [GeneratedRegex(@"<web_page url=""(?<url>[^""]*)"" title=""(?<title>[^""]*)""[^>]*?page=""(?<page>[^""]*)""[^>]*>\n?(?<body>.*?)</web_page>", RegexOptions.Singleline, 1000)]
    private static partial Regex WebPage();

    [GeneratedRegex(@"</?[a-z_]+(?:\s[^<>]*)?>", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex Tag();

    [GeneratedRegex(@"\s+", RegexOptions.None, 1000)]
    private static partial Regex Whitespace();
}
