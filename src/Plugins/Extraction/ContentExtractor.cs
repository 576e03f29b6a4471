using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using SmartReader;
using UglyToad.PdfPig;

namespace Agents.Plugins.Extraction;

/// <summary>
/// Turns HTML, PDF and plain text into readable text, a title and links (untrusted content: only ever data). The
/// browser and the local document index share it, so that a page reads the same wherever it came from.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static partial class ContentExtractor
{
    /// <summary>
    /// Extracts an HTML page: its main content (SmartReader), else the body's text without scripts and styles; its title;
    /// and its first <paramref name="maxLinks"/> distinct http(s) links, resolved against <paramref name="url"/>.
    /// </summary>
    /// <param name="html">The page's markup.</param>
    /// <param name="url">The page's absolute address, against which relative links are resolved.</param>
    /// <param name="maxLinks">The most links to return; 0 for none.</param>
    /// <returns>The extracted document.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="html"/> or <paramref name="url"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="url"/> is not absolute.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLinks"/> is negative.</exception>
    public static ExtractedDocument FromHtml(string html, Uri url, int maxLinks)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri)
        {
            throw new ArgumentException($"The page address must be absolute, but was '{url}'.", nameof(url));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(maxLinks);
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

    /// <summary>Extracts a PDF document: the words of every page, pages separated by an empty line, and its title from the document information.</summary>
    /// <param name="bytes">The PDF file's bytes.</param>
    /// <returns>The extracted document, without links.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="bytes"/> is <see langword="null"/>.</exception>
    /// <remarks>PdfPig's exception propagates when the bytes are not a readable PDF.</remarks>
    public static ExtractedDocument FromPdf(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
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

    /// <summary>Extracts plain text: lines trimmed, runs of spaces collapsed, at most one empty line between blocks.</summary>
    /// <param name="text">The text.</param>
    /// <param name="title">The title to give the document (kept as it is); empty for none.</param>
    /// <returns>The extracted document, without links.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> or <paramref name="title"/> is <see langword="null"/>.</exception>
    public static ExtractedDocument FromPlainText(string text, string title)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(title);
        return new(title, NormalizeBlock(text), []);
    }

    /// <summary>Collapses all white space, line breaks included, to single spaces and trims the ends.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The text on one line.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public static string Collapse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Spaces().Replace(text, " ").Trim();
    }

    /// <summary>Trims lines, collapses runs of spaces and keeps at most one empty line between blocks.</summary>
    internal static string NormalizeBlock(string text)
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
