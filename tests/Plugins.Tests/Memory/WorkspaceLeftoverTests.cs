namespace Agents.Plugins.Tests.Memory;

public sealed class WorkspaceLeftoverTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "agents-memory-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public void Open_RemovesTempFilesLeftByAKilledWrite_AndNothingElse()
    {
        string leftover = Write(".tmp-" + Guid.NewGuid().ToString("N"), "half a file");
        string deepLeftover = Write("knowledge_base/sources/.tmp-" + Guid.NewGuid().ToString("N"), "half a source");
        string note = Write("notes.md", "keep");
        string lookalike = Write(".tmp-notes.md", "not written by the atomic writer");
        string upperCase = Write(".tmp-" + Guid.NewGuid().ToString("N").ToUpperInvariant(), "not a name the writer makes");

        using var workspace = Open();

        Assert.False(File.Exists(leftover));
        Assert.False(File.Exists(deepLeftover));
        Assert.True(File.Exists(note));
        Assert.True(File.Exists(lookalike));
        Assert.True(File.Exists(upperCase));
    }

    [Fact]
    public void Open_KeepsTheTempFileOfAWriterThatIsStillWriting()
    {
        string busy = Write(".tmp-" + Guid.NewGuid().ToString("N"), string.Empty);
        using (var writer = new FileStream(busy, FileMode.Open, FileAccess.Write, FileShare.None))
        {
            writer.WriteByte(1);
            using var workspace = Open();
            Assert.True(File.Exists(busy));
        }

        using var reopened = Open();
        Assert.False(File.Exists(busy));
    }

    [Fact]
    public async Task WritesInProgress_SurviveOtherWorkspacesOpeningTheSameFolder()
    {
        Write("notes/.tmp-" + Guid.NewGuid().ToString("N"), "left by a kill");
        using var writer = Open();
        using var stop = new CancellationTokenSource();
        var opener = Task.Run(() =>
        {
            var opens = 0;
            while (!stop.IsCancellationRequested || opens == 0)
            {
                using var other = Open();
                opens++;
            }

            return opens;
        });

        for (int i = 0; i < 100; i++)
        {
            await writer.WriteTextAsync($"notes/n{i % 5}.md", $"version {i}\n", CancellationToken.None);
        }

        await stop.CancelAsync();
        Assert.True(await opener > 0);
        for (int i = 95; i < 100; i++)
        {
            Assert.Equal($"version {i}\n", await writer.TryReadTextAsync($"notes/n{i % 5}.md", CancellationToken.None));
        }

        Assert.Empty(Directory.GetFiles(_root, ".tmp-*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("budget_state.json/x.md")]
    [InlineData("Budget_State.json/sub/x.md")]
    [InlineData("./budget_state.json//x.md")]
    [InlineData("task.md/x.md")]
    public async Task ProtectedFiles_AreProtectedAsPathPrefixes(string path)
    {
        using var workspace = Open();
        var options = new FileSystemMemoryPluginOptions();
        options.ProtectedFiles.Add("budget_state.json");
        options.ProtectedFiles.Add("task.md");
        var plugin = new FileSystemMemoryPlugin(workspace, options);

        string created = await plugin.CreateFileAsync(path, "x");
        string appended = await plugin.AppendFileAsync(path, "x");

        Assert.StartsWith("Error: ", created, StringComparison.Ordinal);
        Assert.Contains("managed by the host", created, StringComparison.Ordinal);
        Assert.StartsWith("Error: ", appended, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_root));

        // The host's own write still works.
        await workspace.WriteTextAsync("budget_state.json", "{}\n", CancellationToken.None);
        Assert.Equal("{}\n", File.ReadAllText(Path.Combine(_root, "budget_state.json")));
    }

    [Fact]
    public async Task HostFiles_MayBeEditedButNeverBecomeFolders()
    {
        using var workspace = Open();
        var options = new FileSystemMemoryPluginOptions();
        options.HostFiles.Add("report_log.md");
        var plugin = new FileSystemMemoryPlugin(workspace, options);

        string refused = await plugin.CreateFileAsync("report_log.md/notes.md", "x");
        Assert.StartsWith("Error: 'report_log.md/notes.md' is refused: 'report_log.md' is a file the host writes", refused, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "report_log.md")));

        Assert.StartsWith("OK", await plugin.AppendFileAsync("report_log.md", "my round"), StringComparison.Ordinal);
        await workspace.AppendTextAsync("report_log.md", "# Round 2", CancellationToken.None);
        Assert.Equal("my round\n# Round 2\n", File.ReadAllText(Path.Combine(_root, "report_log.md")));
    }

    [Fact]
    public async Task WritingBelowAnExistingFile_IsRefusedWithARelativePath()
    {
        using var workspace = Open();
        var plugin = new FileSystemMemoryPlugin(workspace);
        await plugin.CreateFileAsync("index.md", "x");

        string result = await plugin.CreateFileAsync("index.md/more/x.md", "x");

        Assert.Equal("Error: 'index.md/more/x.md' cannot be written: 'index.md' is a file, not a folder. Choose a path in a folder.", result);
    }

    [Fact]
    public async Task ErrorResults_NeverShowTheWorkspaceRoot()
    {
        using var workspace = Open(maxFileBytes: 16);
        string root = workspace.RootPath;
        var plugin = new FileSystemMemoryPlugin(workspace);
        await plugin.CreateFileAsync("a.md", "one\ntwo\n");
        await plugin.CreateFileAsync("folder/b.md", "b\n");
        Write("big.md", new string('x', 100));
        File.CreateSymbolicLink(Path.Combine(_root, "link"), Path.GetTempPath());
        string longName = new('n', 300);

        string[] paths =
        [
            root, root + "/", root + "/a.md", root + "/../x.md", root + "/folder/../../x.md",
            "../" + Path.GetFileName(root) + "/a.md", "~/x.md", "/etc/passwd", "C:/x.md", "\\\\server\\share\\x.md",
            "../x.md", "folder/../../x.md", "x\0y.md", ".hidden.md", "folder", "missing.md", "missing/x.md",
            "a.md/x.md", "link/x.md", longName + ".md", "folder/" + longName + "/x.md", "knowledge_base/sources/x.md", string.Empty, "   ",
        ];

        var results = new List<string>();
        foreach (string path in paths)
        {
            results.Add(plugin.ListFiles(path));
            results.Add(await plugin.ReadFileAsync(path));
            results.Add(await plugin.ReadFileAsync(path, startLine: 99));
            results.Add(await plugin.CreateFileAsync(path, "x"));
            results.Add(await plugin.CreateFileAsync(path, "x", overwrite: true));
            results.Add(await plugin.AppendFileAsync(path, "x"));
            results.Add(await plugin.InsertLinesAsync(path, 99, "x"));
            results.Add(await plugin.ReplaceLinesAsync(path, 3, 1, "x"));
            results.Add(await plugin.DeleteLinesAsync(path, 0, 7));
            results.Add(await plugin.GrepAsync("x", path));
            results.Add(await plugin.GrepAsync(root + "(", path));
            results.Add(await plugin.GrepAsync(root, path));
            results.Add(await plugin.SearchNotesAsync(root, path));
            results.Add(await plugin.SearchNotesAsync("one", path));
            results.Add(await plugin.CheckCitationsAsync(path));
        }

        Assert.Contains(results, r => r.StartsWith("Error: the file operation failed", StringComparison.Ordinal));
        Assert.All(results, r => Assert.DoesNotContain(root, r, StringComparison.OrdinalIgnoreCase));
        Assert.All(results, r => Assert.DoesNotContain(_root, r, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void RedactPaths_MapsOperatingSystemMessagesToRelativePaths()
    {
        using var workspace = Open();
        string message = $"Could not find a part of the path '{workspace.RootPath}{Path.DirectorySeparatorChar}a{Path.DirectorySeparatorChar}b.md'. Root: {workspace.RootPath}";

        Assert.Equal("Could not find a part of the path 'a/b.md'. Root: .", workspace.RedactPaths(message).Replace('\\', '/'));
        Assert.Equal(string.Empty, workspace.RedactPaths(null));
    }

    private MemoryWorkspace Open(long maxFileBytes = 1024 * 1024) => new(new MemoryWorkspaceOptions { RootPath = _root, MaxFileBytes = maxFileBytes });

    private string Write(string relative, string content)
    {
        string full = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }
}
