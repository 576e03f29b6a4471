using Agents.Plugins.Archiving;

namespace Agents.Plugins.Tests.Memory;

public sealed class CitationCheckerTests : IDisposable
{
    private static readonly Uri UrlA = new("https://a.example/one");
    private static readonly Uri UrlB = new("https://b.example/two");
    private readonly TempWorkspace _temp = new();
    private readonly CitationChecker _checker;

    public CitationCheckerTests()
    {
        _checker = new CitationChecker(_temp.Workspace);
        var archive = new SourceArchive(_temp.Workspace);
        archive.ArchiveAsync(new ArchivedPage(UrlA, "A", "a", "text/html", DateTimeOffset.UnixEpoch), default).AsTask().GetAwaiter().GetResult();
        archive.ArchiveAsync(new ArchivedPage(UrlB, "B", "b", "text/html", DateTimeOffset.UnixEpoch), default).AsTask().GetAwaiter().GetResult();
    }

    private static string PathA => SourceArchive.GetSourcePath(UrlA);

    private static string PathB => SourceArchive.GetSourcePath(UrlB);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ValidReportPasses()
    {
        var report = $"# Report\n\n## Intro\nSolar grew [1]. Wind too [1, 2].\n\n## References\n[1] {PathA} (A)\n[2] B — {UrlB}\n";

        var result = await _checker.CheckTextAsync(report);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal([1, 2], result.Cited);
        Assert.Equal(PathB, result.References[2]);
        Assert.Equal("Citations OK: 2 cited, 2 references, 0 dangling, 0 orphan.", result.ToString());
    }

    [Fact]
    public async Task DanglingAndOrphanReferencesAreReported()
    {
        var report = $"Text [1] and [3] and [4].\n\n### References\n1. {PathA}\n2. {PathB}\n3. knowledge_base/sources/missing-0000000000.md\n";

        var result = await _checker.CheckTextAsync(report);

        Assert.False(result.IsValid);
        Assert.Equal([3, 4], result.Dangling);
        Assert.Equal([2], result.Orphans);
        Assert.Contains("[4] is cited but has no entry under the References heading.", result.Problems);
        Assert.Contains("[3] refers to 'knowledge_base/sources/missing-0000000000.md', which is not an existing archived source in knowledge_base/sources.", result.Problems);
        Assert.Contains("Reference [2] is never cited in the text.", result.Problems);
    }

    [Fact]
    public async Task UrlsThatWereNeverArchivedDoNotResolve()
    {
        var result = await _checker.CheckTextAsync("Claim [1].\n## References\n[1] https://never.example/page\n");

        Assert.Equal([1], result.Dangling);
    }

    [Fact]
    public async Task NonSourceFilesAndDuplicatesAreProblems()
    {
        _temp.Write("notes/n.md", "---\nurl: https://a.example/one\n---\n");
        var result = await _checker.CheckTextAsync($"A [1] B [2].\n## References\n[1] notes/n.md\n[2] {PathB}\n[2] {PathA}\n");

        Assert.Equal([1], result.Dangling);
        Assert.Contains("Reference [2] is listed more than once.", result.Problems);
    }

    [Fact]
    public async Task MissingReferencesHeadingIsReported()
    {
        var result = await _checker.CheckTextAsync("Claim [1].\n");

        Assert.Equal("The report has citations but no 'References' heading.", result.Problems[0]);
        Assert.Equal([1], result.Dangling);
    }

    [Fact]
    public async Task MarkdownLinksAndStatusTagsAreNotCitations()
    {
        var result = await _checker.CheckTextAsync("See [1](https://x.example) and [TODO] and [x].\n");

        Assert.Empty(result.Cited);
        Assert.True(result.IsValid);
    }

    [Fact]
    public async Task CheckAsyncReadsTheReportFileAndPluginReportsProblems()
    {
        _temp.Write("report.md", "Claim [9].\n## References\n");
        var plugin = new FileSystemMemoryPlugin(_temp.Workspace);

        var result = await _checker.CheckAsync();
        var text = await plugin.CheckCitationsAsync();

        Assert.Equal([9], result.Dangling);
        Assert.StartsWith("Citation problems: 1 cited, 0 references, 1 dangling, 0 orphan.\n- [9] is cited", text);
        Assert.StartsWith("Error: 'other.md' does not exist", await plugin.CheckCitationsAsync("other.md"));
        await Assert.ThrowsAsync<WorkspaceAccessException>(() => _checker.CheckAsync("../x.md"));
    }
}
