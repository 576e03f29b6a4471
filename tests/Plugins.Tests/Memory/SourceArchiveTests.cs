using Agents.Plugins.Archiving;

namespace Agents.Plugins.Tests.Memory;

public sealed class SourceArchiveTests : IDisposable
{
    private static readonly DateTimeOffset Fetched = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly TempWorkspace _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ArchivesPageWithFrontMatter()
    {
        var archive = new SourceArchive(_temp.Workspace);
        var url = new Uri("https://Example.org/Reports/Solar%202024?id=7#part");

        await archive.ArchiveAsync(new ArchivedPage(url, "Solar \"2024\"", "Line one\r\nLine two", "text/html", Fetched), default);

        var path = SourceArchive.GetSourcePath(url);
        Assert.Matches(@"^knowledge_base/sources/example-org-reports-solar-202024-[0-9a-f]{10}\.md$", path);
        Assert.Equal(
            "---\nurl: https://example.org/Reports/Solar%202024?id=7\ntitle: \"Solar \\u00222024\\u0022\"\nfetched_at: 2026-01-02T03:04:05Z\ncontent_type: \"text/html\"\n---\n\nLine one\nLine two\n",
            File.ReadAllText(_temp.Full(path)));
        var source = await archive.FindAsync(url, default);
        Assert.Equal(new ArchivedSource(path, new Uri("https://example.org/Reports/Solar%202024?id=7"), "Solar \"2024\"", Fetched), source);
    }

    [Fact]
    public async Task SameUrlMapsToOneFileAcrossInstancesAndIsNeverOverwritten()
    {
        var url = new Uri("https://example.org/page");
        await new SourceArchive(_temp.Workspace).ArchiveAsync(new ArchivedPage(url, "First", "first text", "text/html", Fetched), default);

        // A new workspace and archive over the same folder, as after a process restart.
        using var restarted = new MemoryWorkspace(new MemoryWorkspaceOptions { RootPath = _temp.Root });
        var again = new SourceArchive(restarted);
        await again.ArchiveAsync(new ArchivedPage(new Uri("https://example.org/page#frag"), "Second", "second text", "text/html", Fetched.AddDays(1)), default);

        var files = Directory.GetFiles(_temp.Full(MemoryWorkspace.SourcesFolder));
        Assert.Single(files);
        Assert.Contains("first text", File.ReadAllText(files[0]));
        Assert.Equal("First", (await again.FindAsync(url, default))!.Title);
    }

    [Fact]
    public async Task ConcurrentArchivesOfOneUrlWriteOneFile()
    {
        var archive = new SourceArchive(_temp.Workspace);
        var url = new Uri("https://example.org/race");

        await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            archive.ArchiveAsync(new ArchivedPage(url, $"t{i}", $"text {i}", "text/html", Fetched), default).AsTask()));

        var files = Directory.GetFiles(_temp.Full(MemoryWorkspace.SourcesFolder), "*", SearchOption.AllDirectories);
        Assert.Single(files);
    }

    [Fact]
    public async Task DifferentUrlsGetDifferentFilesAndAreListed()
    {
        var archive = new SourceArchive(_temp.Workspace);
        await archive.ArchiveAsync(new ArchivedPage(new Uri("https://a.example/x?q=1"), "A", "a", "text/html", Fetched), default);
        await archive.ArchiveAsync(new ArchivedPage(new Uri("https://a.example/x?q=2"), "B", "b", "text/html", Fetched), default);

        var listed = await archive.ListAsync(default);

        Assert.Equal(2, listed.Count);
        Assert.NotEqual(listed[0].Path, listed[1].Path);
        Assert.Equal(["A", "B"], listed.Select(s => s.Title).Order());
        Assert.Null(await archive.FindAsync(new Uri("https://a.example/other"), default));
    }

    [Fact]
    public async Task LargePagesAreCutToTheFileLimit()
    {
        using var temp = new TempWorkspace(o => o.MaxFileBytes = 2000);
        var archive = new SourceArchive(temp.Workspace);
        var url = new Uri("https://example.org/big");

        await archive.ArchiveAsync(new ArchivedPage(url, "Big", new string('é', 5000), "text/html", Fetched), default);

        var text = File.ReadAllText(temp.Full(SourceArchive.GetSourcePath(url)));
        Assert.EndsWith("[truncated: the page was larger than the archive limit]\n", text);
        Assert.True(new FileInfo(temp.Full(SourceArchive.GetSourcePath(url))).Length <= 2000);
    }

    [Fact]
    public async Task ArchivedSourcesAreSearchable()
    {
        var archive = new SourceArchive(_temp.Workspace);
        await archive.ArchiveAsync(new ArchivedPage(new Uri("https://example.org/geo"), "Geo", "Geothermal output doubled.", "text/html", Fetched), default);

        var hits = await _temp.Workspace.SearchNotesAsync("geothermal", 5, null, default);

        Assert.Equal(SourceArchive.GetSourcePath(new Uri("https://example.org/geo")), Assert.Single(hits).Path);
    }

    [Fact]
    public async Task ASymlinkedArchiveFolderIsNotWrittenThroughAndDoesNotThrow()
    {
        var outside = Path.Combine(Path.GetTempPath(), "agents-memory-outside", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(outside);
        try
        {
            Directory.CreateDirectory(_temp.Full("knowledge_base"));
            Directory.CreateSymbolicLink(_temp.Full(MemoryWorkspace.SourcesFolder), outside);
            var archive = new SourceArchive(_temp.Workspace);

            await archive.ArchiveAsync(new ArchivedPage(new Uri("https://example.org/x"), "X", "x", "text/html", Fetched), default);

            Assert.Empty(Directory.GetFiles(outside));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public async Task BadInputIsRejected()
    {
        var archive = new SourceArchive(_temp.Workspace);

        Assert.Throws<ArgumentException>(() => SourceArchive.GetSourcePath(new Uri("relative/path", UriKind.Relative)));
        await Assert.ThrowsAsync<ArgumentNullException>(() => archive.ArchiveAsync(null!, default).AsTask());
        Assert.Throws<ArgumentNullException>(() => new SourceArchive(null!));
        Assert.Null(await archive.ReadSourceAsync("notes/not-a-source.md", default));
        Assert.Null(await archive.ReadSourceAsync("../x.md", default));
        _temp.Write("knowledge_base/sources/broken.md", "no front matter");
        Assert.Null(await archive.ReadSourceAsync("knowledge_base/sources/broken.md", default));
    }
}
