namespace Agents.Plugins.Tests.Memory;

public sealed class PathSafetyTests : IDisposable
{
    private readonly TempWorkspace _temp = new();
    private readonly FileSystemMemoryPlugin _plugin;

    public PathSafetyTests()
    {
        _plugin = new FileSystemMemoryPlugin(_temp.Workspace);
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("../escape.md")]
    [InlineData("notes/../../escape.md")]
    [InlineData("..\\escape.md")]
    public async Task DotDotIsRefused(string path)
    {
        Assert.Contains("uses '..'; paths must stay inside the workspace", await _plugin.CreateFileAsync(path, "x"));
        Assert.Contains("uses '..'", await _plugin.ReadFileAsync(path));
        Assert.Contains("uses '..'", _plugin.ListFiles(path));
        Assert.Contains("uses '..'", await _plugin.GrepAsync("x", path));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_temp.Root)!, "escape.md")));
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("~/x.md")]
    [InlineData("C:/x.md")]
    public async Task AbsolutePathsAreRefused(string path)
    {
        var read = await _plugin.ReadFileAsync(path);
        var write = await _plugin.AppendFileAsync(path, "x");

        Assert.StartsWith($"Error: '{path}' is an absolute path; only paths relative to the workspace root are allowed", read);
        Assert.StartsWith("Error:", write);
        Assert.Contains("is an absolute path", _plugin.ListFiles(path));
    }

    [Fact]
    public async Task SymlinkToEtcIsNotFollowed()
    {
        Directory.CreateSymbolicLink(_temp.Full("etc_link"), "/etc");
        File.CreateSymbolicLink(_temp.Full("passwd.md"), "/etc/passwd");

        var read = await _plugin.ReadFileAsync("etc_link/passwd");
        var readFileLink = await _plugin.ReadFileAsync("passwd.md");
        var write = await _plugin.CreateFileAsync("etc_link/evil.md", "x");
        var grep = await _plugin.GrepAsync("root", "etc_link");
        var list = _plugin.ListFiles("etc_link");

        Assert.Equal("Error: 'etc_link/passwd' passes through the symbolic link 'etc_link'; links are not followed, so that files stay inside the workspace.", read);
        Assert.Contains("symbolic link 'passwd.md'", readFileLink);
        Assert.Contains("symbolic link", write);
        Assert.Contains("symbolic link", grep);
        Assert.Contains("symbolic link", list);
        Assert.Contains("etc_link (symbolic link, not followed)", _plugin.ListFiles("."));
        Assert.Equal("No line matches 'root:' in 0 file(s) under '.'.", await _plugin.GrepAsync("root:"));
        Assert.Equal("No note matches 'root'.", await _plugin.SearchNotesAsync("root"));
    }

    [Theory]
    [InlineData("knowledge_base/sources/fake.md")]
    [InlineData("Knowledge_Base/Sources/fake.md")]
    [InlineData("./knowledge_base//sources/new/fake.md")]
    public async Task SourceArchiveIsReadOnlyForAgents(string path)
    {
        var result = await _plugin.CreateFileAsync(path, "---\nurl: https://evil.example/\n---\n");

        Assert.Contains("is in the read-only source archive (knowledge_base/sources)", result);
        Assert.False(Directory.Exists(_temp.Full("knowledge_base")));
    }

    [Fact]
    public async Task ArchivedSourcesCannotBeEdited()
    {
        var archive = new SourceArchive(_temp.Workspace);
        var url = new Uri("https://example.org/a");
        await archive.ArchiveAsync(new Agents.Plugins.Archiving.ArchivedPage(url, "A", "text", "text/html", DateTimeOffset.UnixEpoch), default);
        var path = SourceArchive.GetSourcePath(url);
        var before = File.ReadAllText(_temp.Full(path));

        Assert.StartsWith("Error:", await _plugin.AppendFileAsync(path, "x"));
        Assert.StartsWith("Error:", await _plugin.ReplaceLinesAsync(path, 1, 1, "x"));
        Assert.StartsWith("Error:", await _plugin.DeleteLinesAsync(path, 1, 2));
        Assert.StartsWith("Error:", await _plugin.CreateFileAsync(path, "x", overwrite: true));
        Assert.Equal(before, File.ReadAllText(_temp.Full(path)));
        Assert.Contains("1 | ---", await _plugin.ReadFileAsync(path));
    }

    [Fact]
    public async Task ReservedNamesAndRootAreRefusedForWrites()
    {
        Assert.StartsWith("Error: '.hidden.md': names starting with '.' are reserved", await _plugin.CreateFileAsync(".hidden.md", "x"));
        Assert.StartsWith("Error: A file path is required", await _plugin.CreateFileAsync(".", "x"));
        Assert.StartsWith("Error: The path contains a NUL character", await _plugin.ReadFileAsync("a\0b"));
    }

    [Fact]
    public void NormalizePathCleansRelativePaths()
    {
        Assert.Equal("a/b.md", _temp.Workspace.NormalizePath("./a//b.md"));
        Assert.Equal(string.Empty, _temp.Workspace.NormalizePath("."));
        Assert.Throws<WorkspaceAccessException>(() => _temp.Workspace.NormalizePath("/abs"));
    }
}
