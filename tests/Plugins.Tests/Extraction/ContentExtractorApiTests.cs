using System.Reflection;
using System.Runtime.CompilerServices;
using Agents.Plugins.Extraction;

namespace Agents.Plugins.Tests.Extraction;

/// <summary>
/// The extraction package's public API, which the browser and the local document index call as any user would: the
/// package shows its internals only to its tests and benchmarks.
/// </summary>
public sealed class ContentExtractorApiTests
{
    private static readonly Uri Page = new("https://example.org/docs/page.html");

    [Fact]
    public void FromHtml_GivesTitleTextAndDistinctAbsoluteLinks_UpToTheLimit()
    {
        const string Html = """
            <html><head><title>  The   Title </title></head>
            <body><p>First   paragraph.</p><p>Second.</p>
            <a href="next.html#part">Next  page</a><a href="next.html">Again</a><a href="#top">Top</a>
            <a href="mailto:a@example.org">Mail</a><a href="https://other.example/x">Other</a><a href="/third">Third</a>
            </body></html>
            """;

        ExtractedDocument all = ContentExtractor.FromHtml(Html, Page, maxLinks: 10);
        ExtractedDocument two = ContentExtractor.FromHtml(Html, Page, maxLinks: 2);
        ExtractedDocument none = ContentExtractor.FromHtml(Html, Page, maxLinks: 0);

        Assert.Equal("The Title", all.Title);
        Assert.Contains("First paragraph.", all.Text, StringComparison.Ordinal);
        ExtractedLink[] expected =
        [
            new("Next page", new Uri("https://example.org/docs/next.html")),
            new("Other", new Uri("https://other.example/x")),
            new("Third", new Uri("https://example.org/third")),
        ];
        Assert.Equal(expected, all.Links);
        Assert.Equal(2, two.Links.Count);
        Assert.Empty(none.Links);
    }

    [Fact]
    public void FromPlainText_AndCollapse_NormalizeWhiteSpace()
    {
        ExtractedDocument text = ContentExtractor.FromPlainText("  a   b \n\n\n\n c ", "Notes");

        Assert.Equal("Notes", text.Title);
        Assert.Equal("a b\n\nc", text.Text);
        Assert.Empty(text.Links);
        Assert.Equal("a b c", ContentExtractor.Collapse(" a \n\t b   c "));
    }

    [Fact]
    public void BadInput_IsRefusedByName()
    {
        Assert.Equal("html", Assert.Throws<ArgumentNullException>(() => ContentExtractor.FromHtml(null!, Page, 1)).ParamName);
        Assert.Equal("url", Assert.Throws<ArgumentNullException>(() => ContentExtractor.FromHtml("<p/>", null!, 1)).ParamName);
        Assert.Equal("maxLinks", Assert.Throws<ArgumentOutOfRangeException>(() => ContentExtractor.FromHtml("<p/>", Page, -1)).ParamName);
        ArgumentException relative = Assert.Throws<ArgumentException>(() => ContentExtractor.FromHtml("<p/>", new Uri("docs/page.html", UriKind.Relative), 1));
        Assert.Equal("url", relative.ParamName);
        Assert.Contains("must be absolute", relative.Message, StringComparison.Ordinal);
        Assert.Equal("bytes", Assert.Throws<ArgumentNullException>(() => ContentExtractor.FromPdf(null!)).ParamName);
        Assert.Equal("text", Assert.Throws<ArgumentNullException>(() => ContentExtractor.FromPlainText(null!, "t")).ParamName);
        Assert.Equal("title", Assert.Throws<ArgumentNullException>(() => ContentExtractor.FromPlainText("t", null!)).ParamName);
        Assert.Equal("text", Assert.Throws<ArgumentNullException>(() => ContentExtractor.Collapse(null!)).ParamName);
    }

    [Fact]
    public void ExtractionPackage_ShowsItsInternals_OnlyToTestsAndBenchmarks()
    {
        string[] friends = [.. typeof(ContentExtractor).Assembly.GetCustomAttributes<InternalsVisibleToAttribute>().Select(a => a.AssemblyName)];

        Assert.NotEmpty(friends);
        Assert.All(friends, name => Assert.True(name.EndsWith(".Tests", StringComparison.Ordinal) || name.EndsWith(".Benchmarks", StringComparison.Ordinal), $"Agents.Plugins.Extraction shows its internals to {name}."));
    }
}
