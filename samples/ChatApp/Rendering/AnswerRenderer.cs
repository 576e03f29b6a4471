using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Ganss.Xss;
using Markdig;

namespace Agents.Samples.ChatApp.Rendering;

/// <summary>
/// Turns an answer's Markdown into HTML the page may insert: Markdig with raw HTML disabled (so markup in the
/// answer stays text), then HtmlSanitizer with a short allow-list (no scripts, styles, images or event
/// attributes; links only to http, https and mailto), then numbered citation markers such as <c>[1]</c> become
/// links to the answer's sources panel. Stateless and thread-safe.
/// </summary>
internal sealed partial class AnswerRenderer
{
    private static readonly string[] Tags =
    [
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "del", "code", "pre",
        "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "sup", "sub",
    ];

    private static readonly string[] NoCitationInside = ["A", "CODE", "PRE"];

    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .Build();

    private readonly HtmlSanitizer _sanitizer;
    private readonly HtmlParser _parser = new();

    /// <summary>Creates the renderer.</summary>
    public AnswerRenderer()
    {
        _sanitizer = new HtmlSanitizer(new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(Tags, StringComparer.OrdinalIgnoreCase),
            AllowedAttributes = new HashSet<string>(["href", "title", "start", "align"], StringComparer.OrdinalIgnoreCase),
            AllowedSchemes = new HashSet<string>(["http", "https", "mailto"], StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(["href"], StringComparer.OrdinalIgnoreCase),
            AllowedCssProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase),
            AllowedAtRules = new HashSet<AngleSharp.Css.Dom.CssRuleType>(),
        });
        _sanitizer.PostProcessNode += static (_, e) =>
        {
            if (e.Node is IElement { LocalName: "a" } link)
            {
                link.SetAttribute("target", "_blank");
                link.SetAttribute("rel", "noopener noreferrer nofollow");
            }
        };
    }

    /// <summary>Renders an answer.</summary>
    /// <param name="markdown">The answer (untrusted model output).</param>
    /// <param name="citations">The answer's sources; <c>[n]</c> markers with these numbers become links to them.</param>
    /// <returns>Sanitized HTML.</returns>
    public string Render(string markdown, IReadOnlyList<Citation> citations)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        ArgumentNullException.ThrowIfNull(citations);
        var html = _sanitizer.Sanitize(Markdown.ToHtml(markdown, _pipeline));
        var numbers = citations.Select(c => c.Number).ToHashSet();
        return numbers.Count == 0 || !Marker().IsMatch(html) ? html : LinkCitations(html, numbers);
    }

    private string LinkCitations(string html, HashSet<int> numbers)
    {
        var document = _parser.ParseDocument("<!doctype html><html><body></body></html>");
        var body = document.Body!;
        var nodes = _parser.ParseFragment(html, body);
        foreach (var node in nodes.ToList())
        {
            body.AppendChild(node);
        }

        var texts = body.Descendants<IText>()
            .Where(t => !t.GetAncestors().OfType<IElement>().Any(a => NoCitationInside.Contains(a.TagName, StringComparer.Ordinal)))
            .ToList();
        foreach (var text in texts)
        {
            var value = text.Data;
            var matches = Marker().Matches(value);
            if (matches.Count == 0 || !matches.Any(m => numbers.Contains(Number(m))))
            {
                continue;
            }

            var parent = text.Parent!;
            var at = 0;
            foreach (Match match in matches)
            {
                var number = Number(match);
                if (!numbers.Contains(number))
                {
                    continue;
                }

                if (match.Index > at)
                {
                    parent.InsertBefore(document.CreateTextNode(value[at..match.Index]), text);
                }

                var link = document.CreateElement("a");
                var n = number.ToString(CultureInfo.InvariantCulture);
                link.SetAttribute("href", "#source-" + n);
                link.SetAttribute("class", "cite");
                link.SetAttribute("data-cite", n);
                link.SetAttribute("aria-label", "Source " + n);
                link.TextContent = "[" + n + "]";
                parent.InsertBefore(link, text);
                at = match.Index + match.Length;
            }

            text.Data = value[at..];
        }

        return body.InnerHtml;
    }

    private static int Number(Match match) =>
        int.TryParse(match.Groups["n"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;

    [GeneratedRegex(@"\[(?<n>[0-9]{1,3})\]", RegexOptions.None, 1000)]
    private static partial Regex Marker();
}
