using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using SmartReader;
using UglyToad.PdfPig;

namespace Agents.Plugins.Extraction;

/// <summary>Turns HTML, PDF and plain text into readable text (untrusted content: only ever data).</summary>
internal static partial class ContentExtractor
{
    public static ExtractedDocument FromHtml(string html, Uri url, int maxLinks)
    {
        var parser = new HtmlParser();
        using var document = parser.ParseDocument(html);

        var links = new List<ExtractedLink>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var anchor in document.QuerySelectorAll("a[href]"))
        {
            if (links.Count >= maxLinks)
            {
                break;
            }

            var href = anchor.GetAttribute("href");
            if (string.IsNullOrWhiteSpace(href) || href.StartsWith('#')
                || !Uri.TryCreate(url, href.Trim(), out var target)
                || (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps))
            {
                continue;
            }

            var withoutFragment = new UriBuilder(target) { Fragment = string.Empty }.Uri;
            if (seen.Add(withoutFragment.AbsoluteUri))
            {
                links.Add(new ExtractedLink(Collapse(anchor.TextContent), withoutFragment));
            }
        }

        string title = Collapse(document.Title ?? string.Empty);
        string text = string.Empty;
        try
        {
            var article = new Reader(url.AbsoluteUri, html).GetArticle();
            if (article.IsReadable && !string.IsNullOrWhiteSpace(article.TextContent))
            {
                text = NormalizeBlock(article.TextContent);
                if (string.IsNullOrWhiteSpace(title))
                {
                    title = Collapse(article.Title ?? string.Empty);
                }
            }
        }
#pragma warning disable CA1031 // SmartReader can throw on odd markup; the plain body text is the fallback.
        catch (Exception)
#pragma warning restore CA1031
        {
            text = string.Empty;
        }

        if (text.Length == 0 && document.Body is { } body)
        {
            foreach (var node in body.QuerySelectorAll("script,style,noscript,template").ToList())
            {
                node.Remove();
            }

            foreach (var block in body.QuerySelectorAll("p,div,br,li,h1,h2,h3,h4,h5,h6,tr,section,article,pre,blockquote"))
            {
                block.Append(document.CreateTextNode("\n"));
            }

            text = NormalizeBlock(body.TextContent);
        }

        return new ExtractedDocument(title, text, links);
    }

    public static ExtractedDocument FromPdf(byte[] bytes)
    {
        using var pdf = PdfDocument.Open(bytes);
        var text = new StringBuilder();
        foreach (var page in pdf.GetPages())
        {
            var words = page.GetWords().Select(w => w.Text);
            text.AppendJoin(' ', words).Append('\n').Append('\n');
        }

        var title = pdf.Information?.Title;
        return new ExtractedDocument(string.IsNullOrWhiteSpace(title) ? string.Empty : Collapse(title), NormalizeBlock(text.ToString()), []);
    }

    public static ExtractedDocument FromPlainText(string text, string title)
        => new(title, NormalizeBlock(text), []);

    /// <summary>Collapses all white space to single spaces.</summary>
    public static string Collapse(string text) => Spaces().Replace(text, " ").Trim();

    /// <summary>Trims lines, collapses runs of spaces and keeps at most one empty line between blocks.</summary>
    public static string NormalizeBlock(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var builder = new StringBuilder(text.Length);
        var blank = 0;
        foreach (var raw in lines)
        {
            var line = HorizontalSpaces().Replace(raw, " ").Trim();
            if (line.Length == 0)
            {
                blank++;
                continue;
            }

            if (builder.Length > 0)
            {
                builder.Append(blank > 0 ? "\n\n" : "\n");
            }

            builder.Append(line);
            blank = 0;
        }

        return builder.ToString();
    }

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Spaces();

    [GeneratedRegex(@"[ \t\f\v\u00A0]+", RegexOptions.CultureInvariant)]
    private static partial Regex HorizontalSpaces();
}
