namespace Agents.Plugins.Tests.Browsing;

/// <summary>The browse tool driving real Chromium against a local site.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class PlaywrightBrowsingTests(ChromiumFixture fixture)
{
    private static readonly WebAccessOptions Loopback = new() { AllowLoopback = true };

    private string U(string path) => fixture.Site.Url(path).AbsoluteUri;

    private async Task<string> BrowseAsync(string path, WebAccessOptions? access = null, BrowserPluginOptions? options = null, int page = 1)
    {
        await using var fetcher = await fixture.Browser.CreateFetcherAsync(access ?? Loopback);
        return await new BrowserPlugin(fetcher, options).BrowseAsync([U(path)], "goal", page);
    }

    [Fact]
    public void Debian_chromium_is_the_default_browser()
    {
        Assert.True(File.Exists(PlaywrightBrowserOptions.DebianChromiumPath), "install Debian chromium: apt-get install -y chromium");
        Assert.Equal(PlaywrightBrowserOptions.DebianChromiumPath, new PlaywrightBrowserOptions().ExecutablePath);
        Assert.True(PlaywrightBrowser.IsConfigured());
    }

    [Fact]
    public async Task Renders_javascript_content()
    {
        var text = await BrowseAsync("js.html");
        Assert.Contains("title=\"Rendered by script\"", text);
        Assert.Contains("rendered by JavaScript after a fetch call", text);

        using var http = new HttpPageFetcher(access: Loopback);
        var plain = await new BrowserPlugin(http).BrowseAsync([U("js.html")], "g");
        Assert.DoesNotContain("rendered by JavaScript", plain);
    }

    [Fact]
    public async Task Reads_article_with_links()
    {
        var text = await BrowseAsync("article.html");
        Assert.Contains("title=\"Bald ibis\"", text);
        Assert.Contains(TestSite.ArticleText, text);
        Assert.Contains($"-> {U("doc.pdf")}", text);
        Assert.Contains("-> http://10.0.0.5/admin", text);
    }

    [Fact]
    public async Task Follows_redirects_hop_by_hop()
    {
        var text = await BrowseAsync("redirect-twice");
        Assert.True(text.Contains($"url=\"{U("article.html")}\"", StringComparison.Ordinal), text);
        Assert.Contains(TestSite.ArticleText, text);
    }

    [Fact]
    public async Task Refuses_redirect_to_private_address()
        => Assert.Contains("refused a redirect to http://10.1.2.3/internal", await BrowseAsync("redirect-private"));

    [Fact]
    public async Task Refuses_redirect_to_name_resolving_to_loopback_when_only_the_ip_is_allowed()
    {
        var access = new WebAccessOptions { AllowedHosts = { "127.0.0.1" } };
        Assert.Contains(TestSite.ArticleText, await BrowseAsync("article.html", access));
        Assert.Contains("refused a redirect to http://localhost:", await BrowseAsync("redirect-localhost", access));
    }

    [Fact]
    public async Task Too_many_redirects_is_a_clear_result()
        => Assert.Contains("too many redirects", await BrowseAsync("loop"));

    [Fact]
    public async Task Loopback_is_refused_by_default()
    {
        var before = fixture.Site.RequestCount;
        Assert.Contains("refused: the address 127.0.0.1 is loopback", await BrowseAsync("article.html", new WebAccessOptions()));
        Assert.Equal(before, fixture.Site.RequestCount);
    }

    [Fact]
    public async Task Reads_pdf_without_downloading()
    {
        var text = await BrowseAsync("doc.pdf");
        Assert.Contains("content_type=\"application/pdf\"", text);
        Assert.Contains("Population grew to 700 pairs.", text);
    }

    [Fact]
    public async Task Subresources_to_refused_addresses_and_their_redirects_are_blocked_but_the_page_reads()
    {
        var access = new WebAccessOptions { AllowedHosts = { "127.0.0.1" } };
        Assert.Contains(TestSite.ArticleText, await BrowseAsync("private-image.html", access));
        Assert.Contains("/pixel-redirect", fixture.Site.Paths);
        Assert.DoesNotContain("/pixel-redirected.png", fixture.Site.Paths);
        Assert.DoesNotContain("/pixel-direct.png", fixture.Site.Paths);

        // The same page with loopback allowed does load both images: the assertions above can fail.
        await BrowseAsync("private-image.html");
        Assert.Contains("/pixel-redirected.png", fixture.Site.Paths);
        Assert.Contains("/pixel-direct.png", fixture.Site.Paths);
    }

    [Fact]
    public async Task Link_to_a_private_address_is_listed_but_refused_when_browsed()
    {
        await using var fetcher = await fixture.Browser.CreateFetcherAsync(Loopback);
        var plugin = new BrowserPlugin(fetcher);
        Assert.Contains("-> http://10.0.0.5/admin", await plugin.BrowseAsync([U("article.html")], "g"));
        Assert.Contains("refused: the address 10.0.0.5 is loopback, link-local or private", await plugin.BrowseAsync(["http://10.0.0.5/admin"], "g"));
    }

    [Theory]
    [InlineData("huge.html", "larger than the 1048576 byte limit")]
    [InlineData("image.png", "'image/png' is not supported")]
    [InlineData("download.txt", "is not supported")]
    [InlineData("missing.html", "HTTP 404")]
    [InlineData("slow.html", "did not load within 3 s")]
    public async Task Bad_pages_give_clear_results(string path, string expected)
    {
        var text = await BrowseAsync(path);
        Assert.Contains("Could not read this page: ", text);
        Assert.Contains(expected, text);
    }

    [Fact]
    public async Task Pages_are_pooled_and_reused_across_reads()
    {
        await using var fetcher = await fixture.Browser.CreateFetcherAsync(Loopback);
        var plugin = new BrowserPlugin(fetcher);
        var text = await plugin.BrowseAsync([U("article.html"), U("notes.txt"), U("doc.pdf"), U("js.html"), U("redirect")], "g");
        Assert.Contains(TestSite.ArticleText, text);
        Assert.Contains("Plain notes about the ibis.", text);
        Assert.Contains("700 pairs", text);
        Assert.Contains("rendered by JavaScript", text);
        var again = await new BrowserPlugin(fetcher).BrowseAsync([U("article.html")], "g");
        Assert.Contains(TestSite.ArticleText, again);
    }

    [Fact]
    public async Task Cancellation_is_honoured()
    {
        await using var fetcher = await fixture.Browser.CreateFetcherAsync(Loopback);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new BrowserPlugin(fetcher).BrowseAsync([U("slow.html")], "g", 1, cts.Token));
    }

    [Fact]
    public void Missing_browser_path_names_the_option()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new PlaywrightBrowser(new PlaywrightBrowserOptions { ExecutablePath = "/nonexistent/chromium" }));
        Assert.Contains("PlaywrightBrowserOptions.ExecutablePath", ex.Message);
    }

    [Fact]
    public async Task A_503_then_200_recovers_through_the_fetchers_own_client()
    {
        await using var server = await BrowseResilienceTests.FlakyServer(failures: 1);
        await using var fetcher = await fixture.Browser.CreateFetcherAsync(Loopback);

        var text = await new BrowserPlugin(fetcher).BrowseAsync([server.Url("a").AbsoluteUri], "g");

        Assert.Contains("Grey herons", text, StringComparison.Ordinal);
        Assert.Equal(2, server.Paths.Count(p => p == "/a"));
    }
}
