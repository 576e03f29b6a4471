using Agents.Plugins.LocalDocuments;
using Agents.Plugins.Search.Local;

namespace Agents.Plugins.Tests.LocalDocuments;

/// <summary>The local documents virtual host through the public surfaces: search, browse, the budget tracker.</summary>
public sealed class LocalDocumentsTests : IDisposable
{
    private const string Secret = "TOP-SECRET-OUTSIDE-THE-FOLDER";

    private readonly string _base = Directory.CreateTempSubdirectory("localdocs-").FullName;
    private readonly string _root;
    private readonly string _outside;

    public LocalDocumentsTests()
    {
        _root = Path.Combine(_base, "docs");
        _outside = Path.Combine(_base, "outside");
        Directory.CreateDirectory(_root);
        Directory.CreateDirectory(_outside);
        Write("herons.md", "# Herons\n\nGrey herons nest in colonies called heronries near open water.\n");
        Write("notes/egret page.html", "<html><head><title>Egrets</title></head><body><article><p>Little egrets hunt in shallow water with yellow feet.</p></article></body></html>");
        Write(".hidden.md", "hidden notes");
        Write("keys.env", "API_KEY=1234");
        File.WriteAllText(Path.Combine(_outside, "secret.md"), Secret);
        File.CreateSymbolicLink(Path.Combine(_root, "link.md"), Path.Combine(_outside, "secret.md"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "linkdir"), _outside);
    }

    public void Dispose() => Directory.Delete(_base, recursive: true);

    [Fact]
    public async Task Search_output_and_hits_carry_virtual_addresses_never_the_folder_path()
    {
        using var index = new LocalIndexSearchEngine(new LocalIndexOptions { DocumentsDirectory = _root });
        var hits = await index.SearchAsync("herons egrets", 5, CancellationToken.None);
        Assert.NotEmpty(hits);
        Assert.All(hits, h =>
        {
            Assert.Equal("http", h.Url.Scheme);
            Assert.Equal(LocalDocumentsOptions.DefaultHostName, h.Url.Host);
            Assert.DoesNotContain(_base, h.Url.ToString() + h.Title + h.Snippet, StringComparison.Ordinal);
        });
        Assert.Contains(hits, h => h.Url.AbsoluteUri == "http://local-documents.invalid/notes/egret%20page.html");

        var text = await new WebSearchPlugin(index).SearchAsync(["heronries", "egrets"]);
        Assert.Contains("http://local-documents.invalid/herons.md", text, StringComparison.Ordinal);
        Assert.DoesNotContain(_base, text, StringComparison.Ordinal);
        Assert.DoesNotContain("file:", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_index_does_not_read_files_behind_links_that_leave_the_folder()
    {
        using var index = new LocalIndexSearchEngine(new LocalIndexOptions { DocumentsDirectory = _root });
        var hits = await index.SearchAsync("top secret outside folder", 5, CancellationToken.None);
        Assert.Empty(hits);
        var text = await new WebSearchPlugin(index).SearchAsync(["secret"]);
        Assert.DoesNotContain(Secret, text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_failing_engine_does_not_show_its_error_text_which_may_hold_server_paths()
    {
        var engine = new FakeSearchEngine((_, _) => throw new IOException($"Could not find a part of the path '{_root}/x'."));
        var text = await new WebSearchPlugin(engine).SearchAsync(["herons"]);
        Assert.Contains("failed unexpectedly", text, StringComparison.Ordinal);
        Assert.DoesNotContain(_root, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_wrapper_maps_file_hits_inside_the_folder_and_drops_those_outside()
    {
        var links = Links();
        var engine = new FakeSearchEngine((_, _) =>
        [
            new SearchHit("Herons", new Uri(Path.Combine(_root, "herons.md")), $"saved at {_root}/herons.md", "fake"),
            new SearchHit("Secret", new Uri(Path.Combine(_outside, "secret.md")), "outside", "fake"),
            new SearchHit("Web", new Uri("https://example.org/a"), "web", "fake"),
        ]);
        var hits = await engine.WithLocalDocuments(links).SearchAsync("q", 5, CancellationToken.None);
        Assert.Equal(["http://local-documents.invalid/herons.md", "https://example.org/a"], hits.Select(h => h.Url.AbsoluteUri));
        Assert.DoesNotContain(_base, string.Concat(hits.Select(h => h.Snippet)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Canonical_links_are_used_only_when_asked()
    {
        Write("saved/page.html", "<html><head><link rel=\"canonical\" href=\"https://example.org/wiki/Heron\"><title>Heron</title></head><body><p>Herons wade.</p></body></html>");
        Write("saved/local.html", "<html><head><link rel=\"canonical\" href=\"file:///etc/passwd\"></head><body><p>Herons wade.</p></body></html>");
        var engine = new FakeSearchEngine((_, _) =>
        [
            new SearchHit("Heron", new Uri("http://local-documents.invalid/saved/page.html"), "s", "fake"),
            new SearchHit("Local", new Uri(Path.Combine(_root, "saved", "local.html")), "s", "fake"),
        ]);

        var plain = await engine.WithLocalDocuments(Links()).SearchAsync("q", 5, CancellationToken.None);
        Assert.Equal(["http://local-documents.invalid/saved/page.html", "http://local-documents.invalid/saved/local.html"], plain.Select(h => h.Url.AbsoluteUri));

        var canonical = new LocalDocumentLinks(new LocalDocumentsOptions { RootDirectory = _root, UseCanonicalLinks = true });
        var mapped = await engine.WithLocalDocuments(canonical).SearchAsync("q", 5, CancellationToken.None);
        Assert.Equal(["https://example.org/wiki/Heron", "http://local-documents.invalid/saved/local.html"], mapped.Select(h => h.Url.AbsoluteUri));
    }

    [Fact]
    public async Task Browse_opens_a_local_index_hit_and_charges_one_unit()
    {
        using var index = new LocalIndexSearchEngine(new LocalIndexOptions { DocumentsDirectory = _root });
        var hit = (await index.SearchAsync("egrets shallow", 1, CancellationToken.None)).Single();
        var tracker = Tracker();
        var browser = new BrowserPlugin(new HttpPageFetcher().WithLocalDocuments(Links()));

        var result = await InvokeBrowseAsync(tracker, browser, hit.Url.AbsoluteUri);

        Assert.Contains("Little egrets hunt in shallow water", result.Result, StringComparison.Ordinal);
        Assert.Contains("title=\"Egrets\"", result.Result, StringComparison.Ordinal);
        Assert.DoesNotContain(_base, result.Result, StringComparison.Ordinal);
        Assert.Equal(1, result.Units);
        Assert.Equal(1, tracker.GetSnapshot().GetCategory("browse")!.Used);
    }

    [Theory]
    [InlineData("http://local-documents.invalid/..%2foutside%2fsecret.md")]
    [InlineData("http://local-documents.invalid/notes/..%2f..%2foutside%2fsecret.md")]
    [InlineData("http://local-documents.invalid/notes%5c..%5c..%5coutside%5csecret.md")]
    [InlineData("http://local-documents.invalid/%2ftmp%2fsecret.md")]
    [InlineData("http://local-documents.invalid/link.md")]
    [InlineData("http://local-documents.invalid/linkdir/secret.md")]
    [InlineData("http://local-documents.invalid/.hidden.md")]
    [InlineData("http://local-documents.invalid/keys.env")]
    [InlineData("http://local-documents.invalid/")]
    public async Task Path_escape_attempts_are_refused_show_no_path_and_cost_nothing(string url)
    {
        var inner = FakePageFetcher.Html("<html><body>web</body></html>");
        var tracker = Tracker();
        var browser = new BrowserPlugin(inner.WithLocalDocuments(Links()));

        var result = await InvokeBrowseAsync(tracker, browser, url);

        Assert.Contains("refused", result.Result, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.Result, StringComparison.Ordinal);
        Assert.DoesNotContain("API_KEY", result.Result, StringComparison.Ordinal);
        Assert.DoesNotContain(_base, result.Result, StringComparison.Ordinal);
        Assert.Equal(0, result.Units);
        Assert.Equal(0, tracker.GetSnapshot().GetCategory("browse")!.Used);
        Assert.Equal(0, inner.Calls);
    }

    [Fact]
    public async Task A_missing_document_names_the_address_not_the_path()
    {
        var fetcher = FakePageFetcher.Html("x").WithLocalDocuments(Links());
        var error = await Assert.ThrowsAsync<PageFetchException>(() => fetcher.FetchAsync(new Uri("http://local-documents.invalid/nope.md"), CancellationToken.None));
        Assert.Contains("no such document", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_base, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_addresses_go_to_the_wrapped_fetcher()
    {
        var inner = FakePageFetcher.Html("<html><body>web</body></html>");
        var page = await inner.WithLocalDocuments(Links()).FetchAsync(new Uri("https://example.org/a"), CancellationToken.None);
        Assert.Equal(1, inner.Calls);
        Assert.Equal(new Uri("https://example.org/a"), page.Url);
    }

    [Fact]
    public void Options_are_validated_with_clear_errors()
    {
        var missing = Assert.Throws<OptionsValidationException>(() => new LocalDocumentLinks(new LocalDocumentsOptions()));
        Assert.Contains("RootDirectory is required", missing.Message, StringComparison.Ordinal);
        Assert.Throws<DirectoryNotFoundException>(() => new LocalDocumentLinks(new LocalDocumentsOptions { RootDirectory = Path.Combine(_base, "nope") }));
        var host = Assert.Throws<OptionsValidationException>(() => new LocalDocumentLinks(new LocalDocumentsOptions { RootDirectory = _root, HostName = "example.org" }));
        Assert.Contains("HostName", host.Message, StringComparison.Ordinal);
        Assert.Contains(".invalid", host.Message, StringComparison.Ordinal);
        Assert.Throws<OptionsValidationException>(() => new LocalDocumentLinks(new LocalDocumentsOptions { RootDirectory = _root, HostName = "a b.invalid" }));
        var index = Assert.Throws<OptionsValidationException>(() => new LocalIndexOptions { DocumentsDirectory = _root, DocumentsHostName = "10.0.0.1" }.Validate());
        Assert.Contains("DocumentsHostName", index.Message, StringComparison.Ordinal);
        Assert.Equal(new Uri("http://docs.invalid/a%20b/c.md"), new LocalDocumentLinks(new LocalDocumentsOptions { RootDirectory = _root, HostName = "docs.invalid" }).ToAddress("a b/c.md"));
        Assert.Throws<ArgumentException>(() => Links().ToAddress("../x.md"));
        Assert.Throws<ArgumentException>(() => Links().ToAddress("/etc/passwd"));
    }

    private LocalDocumentLinks Links() => new(new LocalDocumentsOptions { RootDirectory = _root });

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private static BudgetTracker Tracker() => new(new BudgetOptions().SetToolLimit("browse", 5));

    internal static Task<BudgetedToolResult> InvokeBrowseAsync(BudgetTracker tracker, BrowserPlugin browser, params string[] urls) =>
        ChargedTools.BrowseAsync(tracker, browser, "birds", urls);
}
