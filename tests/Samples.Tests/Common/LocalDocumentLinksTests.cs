using Agents.Plugins.Browsing;
using Agents.Samples.Common.Searching;

namespace Agents.Samples.Tests.Common;

public sealed class LocalDocumentLinksTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("links-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Write(string relative, string content)
    {
        string path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Html_with_a_canonical_link_maps_to_it_and_other_files_to_local_addresses()
    {
        var links = new LocalDocumentLinks(_root);
        string page = Write("web/page.html", "<html><head><link rel=\"canonical\" href=\"http://127.0.0.1:5000/wiki/x\"></head><body>x</body></html>");
        string note = Write("notes/a b.md", "# A");
        string plain = Write("raw.html", "<html><body>no canonical</body></html>");

        Assert.Equal(new Uri("http://127.0.0.1:5000/wiki/x"), links.ToBrowsable(new Uri(page)));
        var local = links.ToBrowsable(new Uri(note));
        Assert.Equal("http://local-documents.invalid/notes/a%20b.md", local.AbsoluteUri);
        Assert.Equal(note, links.ToFile(local));
        Assert.Equal("http://local-documents.invalid/raw.html", links.ToBrowsable(new Uri(plain)).AbsoluteUri);

        var outside = new Uri(Path.Combine(Path.GetTempPath(), "elsewhere.md"));
        Assert.Equal(outside, links.ToBrowsable(outside));
        Assert.Equal(new Uri("https://example.org/"), links.ToBrowsable(new Uri("https://example.org/")));
    }

    [Theory]
    [InlineData("http://local-documents.invalid/../etc/passwd")]
    [InlineData("http://local-documents.invalid/%2e%2e/%2e%2e/etc/passwd")]
    [InlineData("http://local-documents.invalid/a/..%2f..%2fsecret")]
    [InlineData("http://local-documents.invalid/")]
    [InlineData("http://example.org/notes/a.md")]
    public void Addresses_never_map_to_a_file_outside_the_folder(string url)
    {
        // System.Uri already folds plain dot segments into the path (they stay inside the folder); escaped ones are refused.
        string? file = new LocalDocumentLinks(_root).ToFile(new Uri(url));
        Assert.True(file is null || file.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal), file);
    }

    [Theory]
    [InlineData("http://local-documents.invalid/a/..%2f..%2fsecret")]
    [InlineData("http://local-documents.invalid/a%5c..%5c..%5csecret")]
    [InlineData("http://local-documents.invalid/")]
    [InlineData("http://example.org/notes/a.md")]
    public void Escaping_or_foreign_addresses_map_to_no_file(string url)
    {
        Assert.Null(new LocalDocumentLinks(_root).ToFile(new Uri(url)));
    }

    [Fact]
    public void A_symlink_out_of_the_folder_is_refused()
    {
        string outside = Directory.CreateTempSubdirectory("outside-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(outside, "secret.txt"), "secret");
            File.CreateSymbolicLink(Path.Combine(_root, "link.txt"), Path.Combine(outside, "secret.txt"));
            Assert.Null(new LocalDocumentLinks(_root).ToFile(new Uri("http://local-documents.invalid/link.txt")));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public async Task The_fetcher_serves_local_documents_and_passes_other_addresses_on()
    {
        var links = new LocalDocumentLinks(_root);
        Write("doc.md", "# Title\n\nBody");
        var inner = new RecordingFetcher();
        var fetcher = new LocalDocumentsPageFetcher(inner, links);

        var page = await fetcher.FetchAsync(new Uri("http://local-documents.invalid/doc.md"), CancellationToken.None);
        Assert.Equal(("text/markdown", 200, "# Title\n\nBody"), (page.ContentType, page.StatusCode, System.Text.Encoding.UTF8.GetString(page.Body.Span)));
        Assert.Empty(inner.Urls);

        await fetcher.FetchAsync(new Uri("https://example.org/a"), CancellationToken.None);
        Assert.Equal([new Uri("https://example.org/a")], inner.Urls);

        var missing = await Assert.ThrowsAsync<PageFetchException>(() => fetcher.FetchAsync(new Uri("http://local-documents.invalid/nope.md"), CancellationToken.None));
        Assert.Contains("no such document", missing.Message, StringComparison.Ordinal);
        var escape = await Assert.ThrowsAsync<PageFetchException>(() => fetcher.FetchAsync(new Uri("http://local-documents.invalid/a/..%2f..%2fx"), CancellationToken.None));
        Assert.Contains("not a document of the local index", escape.Message, StringComparison.Ordinal);
    }

    private sealed class RecordingFetcher : IPageFetcher
    {
        public List<Uri> Urls { get; } = [];

        public string Name => "recording";

        public Task<FetchedPage> FetchAsync(Uri url, CancellationToken cancellationToken)
        {
            Urls.Add(url);
            return Task.FromResult(new FetchedPage(url, 200, "text/html", "<html></html>"u8.ToArray()));
        }
    }
}
