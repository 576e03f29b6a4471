using System.Reflection;
using Microsoft.SemanticKernel;

namespace Agents.Plugins.Tests.Browsing;

public sealed class BrowserPluginTests
{
    private const string Page = "<html><head><title>T</title></head><body><article><p>Some readable text about herons and egrets for the plugin tests.</p></article></body></html>";

    [Fact]
    public async Task Empty_or_null_url_list_is_refused()
    {
        var fetcher = FakePageFetcher.Html(Page);
        var plugin = new BrowserPlugin(fetcher);
        Assert.Contains("no URLs were given", await plugin.BrowseAsync([], "g"));
        Assert.Contains("no URLs were given", await plugin.BrowseAsync(null!, "g"));
        Assert.Equal(0, fetcher.Calls);
    }

    [Fact]
    public async Task Too_many_urls_are_refused_without_reading()
    {
        var fetcher = FakePageFetcher.Html(Page);
        var plugin = new BrowserPlugin(fetcher);
        var urls = Enumerable.Range(0, 100).Select(i => $"https://example.org/{i}").ToArray();
        Assert.Contains("100 URLs were given but at most 5", await plugin.BrowseAsync(urls, "g"));
        Assert.Equal(0, fetcher.Calls);
    }

    [Theory]
    [InlineData("not a url", "not a valid absolute URL")]
    [InlineData("", "not a valid absolute URL")]
    [InlineData("/relative/path", "not a valid absolute URL")]
    [InlineData("file:///etc/passwd", "'file:' scheme")]
    [InlineData("data:text/html,<b>x</b>", "'data:' scheme")]
    [InlineData("javascript:alert(1)", "'javascript:' scheme")]
    [InlineData("ftp://example.org/x", "'ftp:' scheme")]
    public async Task Invalid_urls_and_schemes_are_refused(string url, string expected)
    {
        var fetcher = FakePageFetcher.Html(Page);
        var text = await new BrowserPlugin(fetcher).BrowseAsync([url], "g");
        Assert.Contains(expected, text);
        Assert.Equal(0, fetcher.Calls);
    }

    [Fact]
    public async Task Page_zero_is_refused()
        => Assert.Contains("page must be 1 or more", await new BrowserPlugin(FakePageFetcher.Html(Page)).BrowseAsync(["https://example.org/"], "g", 0));

    [Fact]
    public async Task Non_html_content_from_a_fetcher_is_refused()
    {
        var fetcher = new FakePageFetcher(u => new FetchedPage(u, 200, "application/zip", new byte[] { 1, 2 }));
        Assert.Contains("'application/zip' is not supported", await new BrowserPlugin(fetcher).BrowseAsync(["https://example.org/a.zip"], "g"));
    }

    [Fact]
    public async Task Corrupt_pdf_is_a_clear_result()
    {
        var fetcher = new FakePageFetcher(u => new FetchedPage(u, 200, "application/pdf", "%PDF-garbage"u8.ToArray()));
        Assert.Contains("could not be turned into text", await new BrowserPlugin(fetcher).BrowseAsync(["https://example.org/a.pdf"], "g"));
    }

    [Fact]
    public async Task Fetcher_exception_becomes_tool_text()
    {
        var fetcher = new FakePageFetcher(_ => throw new PageFetchException("refused: private address"));
        Assert.Contains("Could not read this page: refused: private address", await new BrowserPlugin(fetcher).BrowseAsync(["https://example.org/"], "g"));
    }

    [Fact]
    public async Task Duplicate_urls_are_read_once()
    {
        var fetcher = FakePageFetcher.Html(Page);
        var plugin = new BrowserPlugin(fetcher);
        await plugin.BrowseAsync(["https://example.org/a", "https://example.org/a#x"], "g");
        Assert.Equal(1, fetcher.Calls);
    }

    [Theory]
    [InlineData("", "herons", "full URL")]
    [InlineData("https://example.org/unread", "herons", "has not been read yet")]
    [InlineData("https://example.org/a", " ", "give the words")]
    public async Task Find_in_page_bad_input_is_a_clear_result(string url, string words, string expected)
    {
        var plugin = new BrowserPlugin(FakePageFetcher.Html(Page));
        await plugin.BrowseAsync(["https://example.org/a"], "g");
        Assert.Contains(expected, plugin.FindInPage(url, words));
    }

    [Fact]
    public async Task Find_in_page_reports_no_matches()
    {
        var plugin = new BrowserPlugin(FakePageFetcher.Html(Page));
        await plugin.BrowseAsync(["https://example.org/a"], "g");
        Assert.Contains("No matches.", plugin.FindInPage("https://example.org/a", "flamingo"));
        Assert.Contains("[1] page 1: …Some readable text about herons", plugin.FindInPage("https://example.org/a", "HERONS"));
    }

    [Fact]
    public async Task Works_as_kernel_functions_with_budget_metadata()
    {
        var kernel = new Kernel();
        kernel.Plugins.AddFromObject(new BrowserPlugin(FakePageFetcher.Html(Page)), "web");
        var result = await kernel.Plugins["web"]["browse"].InvokeAsync(kernel, new KernelArguments { ["urls"] = new[] { "https://example.org/k" }, ["goal"] = "herons" });
        Assert.Contains("herons and egrets", result.GetValue<string>());
        Assert.True(kernel.Plugins["web"].Contains("find_in_page"));
        var attribute = typeof(BrowserPlugin).GetMethod(nameof(BrowserPlugin.BrowseAsync))!.GetCustomAttribute<BudgetCategoryAttribute>()!;
        Assert.Equal(("browse", "urls"), (attribute.Category, attribute.UnitsArgument));
    }

    [Fact]
    public void Invalid_options_name_the_option()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new BrowserPlugin(FakePageFetcher.Html(Page), new BrowserPluginOptions { ChunkSize = 10 }));
        Assert.Contains("BrowserPluginOptions.ChunkSize", ex.Message);
    }

    [Fact]
    public void Chunks_split_at_paragraphs_and_cover_all_text()
    {
        var text = string.Join("\n\n", Enumerable.Range(0, 50).Select(i => $"Paragraph {i} " + new string('a', 90)));
        var chunks = Agents.Plugins.Browsing.ReadDocument.Split(text, 1000);
        Assert.True(chunks.Count > 5);
        Assert.All(chunks, c => Assert.True(c.Text.Length <= 1000));
        Assert.All(chunks, c => Assert.StartsWith("Paragraph", c.Text));
        Assert.Equal(text.Replace("\n", "").Replace(" ", ""), string.Concat(chunks.Select(c => c.Text)).Replace("\n", "").Replace(" ", ""));
    }

    [Fact]
    public async Task Logs_pages_that_cannot_be_read_through_the_given_logger_factory()
    {
        var loggers = new ListLoggerFactory();
        var fetcher = new FakePageFetcher(_ => throw new InvalidOperationException("parser broke"));
        var plugin = new BrowserPlugin(fetcher, loggerFactory: loggers);

        await plugin.BrowseAsync(["https://example.org/broken"], "g");

        var entry = Assert.Single(loggers.For<BrowserPlugin>());
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Equal("browse https://example.org/broken failed", entry.Message);
    }
}
