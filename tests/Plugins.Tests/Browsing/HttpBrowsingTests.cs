namespace Agents.Plugins.Tests.Browsing;

/// <summary>The browse tool over the plain HTTP fetcher against a local site.</summary>
public sealed class HttpBrowsingTests : IAsyncLifetime
{
    private LocalServer _site = null!;

    public async Task InitializeAsync() => _site = await TestSite.StartAsync();

    public async Task DisposeAsync() => await _site.DisposeAsync();

    private static HttpPageFetcher Fetcher(WebAccessOptions? access = null, int maxBytes = 1024 * 1024)
        => new(new HttpPageFetcherOptions { MaxResponseBytes = maxBytes, Timeout = TimeSpan.FromSeconds(2) }, access ?? new WebAccessOptions { AllowLoopback = true });

    private string U(string path) => _site.Url(path).AbsoluteUri;

    [Fact]
    public async Task Reads_main_content_title_and_numbered_links()
    {
        using var fetcher = Fetcher();
        var text = await new BrowserPlugin(fetcher).BrowseAsync([U("article.html")], "ibis habitat");

        Assert.Contains($"<web_page url=\"{U("article.html")}\" title=\"Bald ibis\" content_type=\"text/html\" page=\"1 of 1\"", text);
        Assert.Contains(TestSite.ArticleText, text);
        Assert.Contains("Untrusted web content", text);
        Assert.Contains($"-> {U("doc.pdf")}", text);
        Assert.Contains("-> http://10.0.0.5/admin", text);
        Assert.DoesNotContain("mailto:", text);
        Assert.Matches(@"\[1\] .* -> ", text);
    }

    [Fact]
    public async Task Page_text_cannot_close_the_delimiter()
    {
        using var fetcher = Fetcher();
        var text = await new BrowserPlugin(fetcher).BrowseAsync([U("article.html")], "x");
        Assert.Equal(1, text.Split("</web_page>").Length - 1);
        Assert.Contains("‹/web_page>", text);
    }

    [Fact]
    public async Task Follows_redirects_and_reports_the_final_url()
    {
        using var fetcher = Fetcher();
        var text = await new BrowserPlugin(fetcher).BrowseAsync([U("redirect-twice")], "ibis");
        Assert.Contains($"url=\"{U("article.html")}\"", text);
        Assert.Contains(TestSite.ArticleText, text);
    }

    [Fact]
    public async Task Refuses_redirect_to_private_address()
    {
        using var fetcher = Fetcher();
        var text = await new BrowserPlugin(fetcher).BrowseAsync([U("redirect-private")], "x");
        Assert.Contains("Could not read this page: refused a redirect to http://10.1.2.3/internal", text);
    }

    [Fact]
    public async Task Refuses_redirect_to_a_name_that_resolves_to_loopback_when_only_the_ip_is_allow_listed()
    {
        using var fetcher = Fetcher(new WebAccessOptions { AllowedHosts = { "127.0.0.1" } });
        var plugin = new BrowserPlugin(fetcher);
        Assert.Contains(TestSite.ArticleText, await plugin.BrowseAsync([U("article.html")], "x"));
        var text = await plugin.BrowseAsync([U("redirect-localhost")], "x");
        Assert.Contains("refused a redirect to http://localhost:", text);
    }

    [Fact]
    public async Task Loopback_is_refused_by_default()
    {
        using var fetcher = new HttpPageFetcher();
        var text = await new BrowserPlugin(fetcher).BrowseAsync([U("article.html")], "x");
        Assert.Contains("refused: the address 127.0.0.1 is loopback", text);
        Assert.Equal(0, _site.RequestCount);
    }

    [Fact]
    public async Task Dns_rebinding_is_caught_at_connect_time()
    {
        var lookups = 0;
        var guard = new UrlGuard(new WebAccessOptions(), (_, _) => Task.FromResult(new[]
        {
            System.Net.IPAddress.Parse(Interlocked.Increment(ref lookups) == 1 ? "93.184.216.34" : "127.0.0.1"),
        }));
        using var fetcher = new HttpPageFetcher(new HttpPageFetcherOptions { Timeout = TimeSpan.FromSeconds(2) }, guard, null, null);

        var text = await new BrowserPlugin(fetcher).BrowseAsync([$"http://rebind.test:{_site.BaseAddress.Port}/article.html"], "x");

        Assert.Contains("resolves only to loopback, link-local or private addresses", text);
        Assert.Equal(2, lookups);
        Assert.Equal(0, _site.RequestCount);
    }

    [Fact]
    public async Task Too_many_redirects_is_a_clear_result()
    {
        using var fetcher = Fetcher();
        Assert.Contains("too many redirects", await new BrowserPlugin(fetcher).BrowseAsync([U("loop")], "x"));
    }

    [Fact]
    public async Task Reads_pdf_with_pdfpig()
    {
        using var fetcher = Fetcher();
        var text = await new BrowserPlugin(fetcher).BrowseAsync([U("doc.pdf")], "census");
        Assert.Contains("title=\"Ibis report\" content_type=\"application/pdf\"", text);
        Assert.Contains("Population grew to 700 pairs.", text);
    }

    [Fact]
    public async Task Reads_plain_text()
    {
        using var fetcher = Fetcher();
        Assert.Contains("Plain notes about the ibis.", await new BrowserPlugin(fetcher).BrowseAsync([U("notes.txt")], "x"));
    }

    [Theory]
    [InlineData("image.png", "'image/png' is not supported")]
    [InlineData("download.txt", "is not supported")]
    [InlineData("huge.html", "larger than the 1048576 byte limit")]
    [InlineData("missing.html", "HTTP 404")]
    [InlineData("slow.html", "did not load within 2 s")]
    public async Task Bad_pages_give_clear_results(string path, string expected)
    {
        using var fetcher = Fetcher();
        var text = await new BrowserPlugin(fetcher).BrowseAsync([U(path)], "x");
        Assert.Contains("Could not read this page: ", text);
        Assert.Contains(expected, text);
    }

    [Fact]
    public async Task One_failed_url_does_not_hide_the_others()
    {
        using var fetcher = Fetcher();
        var text = await new BrowserPlugin(fetcher).BrowseAsync([U("missing.html"), U("notes.txt")], "x");
        Assert.Contains("## URL 1: ", text);
        Assert.Contains("HTTP 404", text);
        Assert.Contains("## URL 2: ", text);
        Assert.Contains("Plain notes", text);
    }

    [Fact]
    public async Task Long_pages_are_paged_and_read_on_without_fetching_again()
    {
        using var fetcher = Fetcher();
        var plugin = new BrowserPlugin(fetcher, new BrowserPluginOptions { ChunkSize = 5000 });
        var first = await plugin.BrowseAsync([U("long.html")], "xylophone marker");
        var requests = _site.RequestCount;

        Assert.Matches("page=\"1 of (\\d+)\"", first);
        var total = int.Parse(System.Text.RegularExpressions.Regex.Match(first, "page=\"1 of (\\d+)\"").Groups[1].Value);
        Assert.True(total >= 3, first);
        Assert.Contains($"Pages that mention your goal: {total}", first);
        Assert.Contains("call browse with this URL and page=2", first);

        var last = await plugin.BrowseAsync([U("long.html")], "x", total);
        Assert.Contains($"page=\"{total} of {total}\"", last);
        Assert.Contains("xylophone", last);
        Assert.DoesNotContain("More:", last);
        Assert.Equal(requests, _site.RequestCount);

        Assert.Contains($"has only {total} page(s)", await plugin.BrowseAsync([U("long.html")], "x", total + 1));
        var find = plugin.FindInPage(U("long.html"), "XYLOPHONE");
        Assert.Contains($"[1] page {total}: ", find);
        Assert.Contains("secret marker is xylophone", find);
    }

    [Fact]
    public async Task Every_page_read_is_archived_and_a_failing_sink_does_not_fail_the_tool()
    {
        using var fetcher = Fetcher();
        var sink = new RecordingArchiveSink(_ => throw new IOException("disk full"));
        var plugin = new BrowserPlugin(fetcher, archive: sink);

        var text = await plugin.BrowseAsync([U("article.html"), U("doc.pdf")], "x");

        Assert.Contains(TestSite.ArticleText, text);
        Assert.Contains("700 pairs", text);
        Assert.Equal(2, sink.Pages.Count);
        var html = sink.Pages.Single(p => p.ContentType == "text/html");
        Assert.Equal("Bald ibis", html.Title);
        Assert.Equal(U("article.html"), html.Url.AbsoluteUri);
        Assert.Contains(TestSite.ArticleText, html.Text);
    }

    [Fact]
    public async Task Logs_redirects_through_the_given_logger_factory()
    {
        var loggers = new ListLoggerFactory();
        using var fetcher = new HttpPageFetcher(new HttpPageFetcherOptions { Timeout = TimeSpan.FromSeconds(2) }, new WebAccessOptions { AllowLoopback = true }, loggerFactory: loggers);

        await new BrowserPlugin(fetcher).BrowseAsync([U("redirect-twice")], "ibis");

        var redirects = loggers.For<HttpPageFetcher>().Where(e => e.Level == LogLevel.Debug).Select(e => e.Message).ToList();
        Assert.Equal(new[] { $"redirect 1 to {U("redirect")}", $"redirect 2 to {U("article.html")}" }, redirects);
    }
}
