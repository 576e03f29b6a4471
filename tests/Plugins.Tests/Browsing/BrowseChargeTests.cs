using Agents.Plugins.LocalDocuments;
using Microsoft.SemanticKernel;

namespace Agents.Plugins.Tests.Browsing;

/// <summary>
/// What <c>browse</c> and <c>find_in_page</c> cost through every charge path: a URL refused before anything was
/// fetched costs nothing, a page that was fetched costs one unit (even an HTTP error).
/// </summary>
public sealed class BrowseChargeTests : IAsyncLifetime
{
    private const string Article = "<html><head><title>Herons</title></head><body><article><p>Grey herons nest in colonies called heronries near open water.</p></article></body></html>";

    private LocalServer _server = null!;

    public async Task InitializeAsync() => _server = await LocalServer.StartAsync(async context =>
    {
        if (context.Request.Path == "/broken")
        {
            context.Response.StatusCode = 500;
            await context.Response.WriteAsync("boom");
            return;
        }

        context.Response.ContentType = "text/html";
        await context.Response.WriteAsync(Article);
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://example.org/x")]
    [InlineData("not a url")]
    [InlineData("/relative")]
    public async Task InvokeToolAsync_a_url_with_a_bad_scheme_or_syntax_costs_nothing(string url)
    {
        var tracker = Tracker();
        var result = await InvokeBrowseAsync(tracker, new BrowserPlugin(new HttpPageFetcher()), url);
        Assert.True(result.Executed);
        Assert.Equal(0, result.Units);
        Assert.Equal(0, tracker.GetSnapshot().GetCategory("browse")!.Used);
    }

    [Fact]
    public async Task InvokeToolAsync_urls_refused_by_the_address_rules_cost_nothing_and_reach_no_server()
    {
        var tracker = Tracker();
        var browser = new BrowserPlugin(new HttpPageFetcher());

        var result = await InvokeBrowseAsync(tracker, browser, _server.Url("a").AbsoluteUri, "http://10.0.0.1/x", "http://localhost:1/y");

        Assert.Contains("refused", result.Result, StringComparison.Ordinal);
        Assert.Equal(0, result.Units);
        Assert.Equal(0, tracker.GetSnapshot().GetCategory("browse")!.Used);
        Assert.Equal(0, _server.RequestCount);
    }

    [Fact]
    public async Task InvokeToolAsync_charges_only_the_pages_fetched_in_a_mixed_call()
    {
        var tracker = Tracker();
        var browser = new BrowserPlugin(new HttpPageFetcher(access: new WebAccessOptions { AllowLoopback = true }));

        var result = await InvokeBrowseAsync(tracker, browser, _server.Url("a").AbsoluteUri, "http://10.0.0.1/x", _server.Url("broken").AbsoluteUri, _server.Url("a").AbsoluteUri);

        Assert.Contains("Grey herons", result.Result, StringComparison.Ordinal);
        Assert.Contains("HTTP 500", result.Result, StringComparison.Ordinal);
        Assert.Equal(2, result.Units);
        Assert.Equal(2, tracker.GetSnapshot().GetCategory("browse")!.Used);

        // Reading a page already read (the next page, or again) is free, as the tool's description says.
        var again = await InvokeBrowseAsync(tracker, browser, _server.Url("a").AbsoluteUri);
        Assert.Contains("Grey herons", again.Result, StringComparison.Ordinal);
        Assert.Equal(0, again.Units);
        Assert.Equal(2, tracker.GetSnapshot().GetCategory("browse")!.Used);
    }

    [Fact]
    public async Task InvokeToolAsync_duplicate_urls_cost_one_unit_and_a_re_read_costs_one_with_ChargeCachedPages()
    {
        var tracker = Tracker();
        var access = new WebAccessOptions { AllowLoopback = true };
        var browser = new BrowserPlugin(new HttpPageFetcher(access: access), new BrowserPluginOptions { ChargeCachedPages = true });

        var first = await InvokeBrowseAsync(tracker, browser, _server.Url("a").AbsoluteUri, _server.Url("a").AbsoluteUri + "#part");
        var again = await InvokeBrowseAsync(tracker, browser, _server.Url("a").AbsoluteUri);

        Assert.Equal(1, first.Units);
        Assert.Equal(1, again.Units);
        Assert.Equal(1, _server.RequestCount);
        Assert.Equal(2, tracker.GetSnapshot().GetCategory("browse")!.Used);
    }

    [Fact]
    public async Task KernelFilter_refused_urls_cost_nothing_and_a_read_page_costs_one()
    {
        var tracker = Tracker();
        var kernel = new Kernel();
        kernel.UseBudgetTracker(tracker);
        var plugin = kernel.Plugins.AddFromObject(new BrowserPlugin(new HttpPageFetcher(access: new WebAccessOptions { AllowLoopback = false })), "browser");

        await kernel.InvokeAsync(plugin["browse"], new KernelArguments { ["urls"] = new[] { "file:///etc/passwd" }, ["goal"] = "g" });
        var refused = await kernel.InvokeAsync(plugin["browse"], new KernelArguments { ["urls"] = new[] { _server.Url("a").AbsoluteUri, "http://192.168.1.1/" }, ["goal"] = "g" });
        Assert.Contains("refused", refused.GetValue<string>(), StringComparison.Ordinal);
        var notRead = await kernel.InvokeAsync(plugin["find_in_page"], new KernelArguments { ["url"] = "https://example.org/never-read", ["text"] = "herons" });
        Assert.Contains("has not been read yet", notRead.GetValue<string>(), StringComparison.Ordinal);

        var snapshot = tracker.GetSnapshot();
        Assert.Equal(0, snapshot.GetCategory("browse")!.Used);
        Assert.All(snapshot.Categories, c => Assert.Equal(0, c.Used));
        Assert.Equal(0, _server.RequestCount);
    }

    [Fact]
    public async Task KernelFilter_a_fetched_local_document_costs_one_unit()
    {
        var root = Directory.CreateTempSubdirectory("charge-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(root, "herons.md"), "# Herons\n\nHeronries are colonies.");
            var tracker = Tracker();
            var kernel = new Kernel();
            kernel.UseBudgetTracker(tracker);
            var fetcher = new HttpPageFetcher().WithLocalDocuments(new LocalDocumentLinks(new LocalDocumentsOptions { RootDirectory = root }));
            var plugin = kernel.Plugins.AddFromObject(new BrowserPlugin(fetcher), "browser");

            var read = await kernel.InvokeAsync(plugin["browse"], new KernelArguments { ["urls"] = new[] { "http://local-documents.invalid/herons.md", "http://local-documents.invalid/..%2fx.md" }, ["goal"] = "g" });

            Assert.Contains("Heronries are colonies", read.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal(1, tracker.GetSnapshot().GetCategory("browse")!.Used);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static BudgetTracker Tracker() => new(new BudgetOptions().SetToolLimit("browse", 10));

    private static Task<BudgetedToolResult> InvokeBrowseAsync(BudgetTracker tracker, BrowserPlugin browser, params string[] urls) =>
        ChargedTools.BrowseAsync(tracker, browser, "herons", urls);
}
