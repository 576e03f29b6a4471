namespace Agents.Plugins.Tests.Memory;

public sealed class FileSystemMemoryPluginTests : IDisposable
{
    private readonly TempWorkspace _temp = new();
    private readonly FileSystemMemoryPlugin _plugin;

    public FileSystemMemoryPluginTests()
    {
        _plugin = new FileSystemMemoryPlugin(_temp.Workspace);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task CreateThenReadShowsNumberedLines()
    {
        var result = await _plugin.CreateFileAsync("notes/a.md", "alpha\nbeta\ngamma\n");
        Assert.Equal("OK: notes/a.md now has 3 lines.", result);

        var read = await _plugin.ReadFileAsync("notes/a.md");
        Assert.Equal("notes/a.md (lines 1-3 of 3)\n1 | alpha\n2 | beta\n3 | gamma\n", read);
    }

    [Fact]
    public async Task ReadPagesLongFiles()
    {
        await _plugin.CreateFileAsync("long.md", string.Join('\n', Enumerable.Range(1, 25).Select(i => $"line {i}")));

        var page = await _plugin.ReadFileAsync("long.md", startLine: 11, maxLines: 5);

        Assert.StartsWith("long.md (lines 11-15 of 25)\n11 | line 11\n", page);
        Assert.EndsWith("15 | line 15\n[more: call read_file with start_line=16]\n", page);
    }

    [Fact]
    public async Task ReadStopsAtCharacterLimit()
    {
        var plugin = new FileSystemMemoryPlugin(_temp.Workspace, new FileSystemMemoryPluginOptions { MaxReadChars = 50 });
        await plugin.CreateFileAsync("wide.md", string.Join('\n', Enumerable.Range(1, 10).Select(_ => new string('x', 20))));

        var page = await plugin.ReadFileAsync("wide.md");

        Assert.Contains("(lines 1-2 of 10)", page);
        Assert.Contains("start_line=3", page);
    }

    [Fact]
    public async Task ReadOutsideRangeAndMissingFileGiveClearErrors()
    {
        await _plugin.CreateFileAsync("a.md", "one\n");

        Assert.Equal("Error: start_line 5 is outside a.md, which has lines 1-1.", await _plugin.ReadFileAsync("a.md", startLine: 5));
        Assert.StartsWith("Error: 'missing.md' does not exist.", await _plugin.ReadFileAsync("missing.md"));
        Assert.StartsWith("Error: 'notes' is a folder", await ReadFolder());

        async Task<string> ReadFolder()
        {
            await _plugin.CreateFileAsync("notes/x.md", "x");
            return await _plugin.ReadFileAsync("notes");
        }
    }

    [Fact]
    public async Task CreateRefusesToOverwriteUnlessAsked()
    {
        await _plugin.CreateFileAsync("a.md", "one");

        Assert.StartsWith("Error: 'a.md' already exists.", await _plugin.CreateFileAsync("a.md", "two"));
        Assert.StartsWith("OK", await _plugin.CreateFileAsync("a.md", "two", overwrite: true));
        Assert.Equal("two", File.ReadAllText(_temp.Full("a.md")));
    }

    [Fact]
    public async Task AppendInsertReplaceDeleteEditLineRanges()
    {
        await _plugin.AppendFileAsync("log.md", "# Round 1");
        await _plugin.AppendFileAsync("log.md", "did a\ndid b");
        await _plugin.InsertLinesAsync("log.md", 2, "first");
        await _plugin.ReplaceLinesAsync("log.md", 3, 4, "did a+b");
        await _plugin.InsertLinesAsync("log.md", 4, "tail");
        await _plugin.DeleteLinesAsync("log.md", 2, 2);

        Assert.Equal("# Round 1\ndid a+b\ntail\n", File.ReadAllText(_temp.Full("log.md")));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(2, 1)]
    [InlineData(1, 9)]
    public async Task BadLineRangesAreRefused(int start, int end)
    {
        await _plugin.CreateFileAsync("a.md", "one\ntwo\n");

        var replaced = await _plugin.ReplaceLinesAsync("a.md", start, end, "x");
        var deleted = await _plugin.DeleteLinesAsync("a.md", start, end);

        Assert.StartsWith($"Error: lines {start}-{end} are not a valid range in 'a.md', which has 2 lines", replaced);
        Assert.StartsWith("Error: lines", deleted);
        Assert.Equal("one\ntwo\n", File.ReadAllText(_temp.Full("a.md")));
    }

    [Fact]
    public async Task InsertOutsideFileAndEditsOfMissingFilesAreRefused()
    {
        await _plugin.CreateFileAsync("a.md", "one\n");

        Assert.StartsWith("Error: line 5 is outside 'a.md', which has 1 lines; use 1-2.", await _plugin.InsertLinesAsync("a.md", 5, "x"));
        Assert.StartsWith("Error: 'b.md' does not exist.", await _plugin.InsertLinesAsync("b.md", 1, "x"));
        Assert.StartsWith("Error: 'b.md' does not exist.", await _plugin.ReplaceLinesAsync("b.md", 1, 1, "x"));
        Assert.StartsWith("Error: 'b.md' does not exist.", await _plugin.DeleteLinesAsync("b.md", 1, 1));
    }

    [Fact]
    public async Task ListShowsTreeWithSizesAndLineCounts()
    {
        await _plugin.CreateFileAsync("index.md", "a\nb\n");
        await _plugin.CreateFileAsync("knowledge_base/topic/note.md", "x\ny\nz");

        var tree = _plugin.ListFiles(".");

        Assert.Equal(
            "./\n  index.md (4 bytes, 2 lines)\n  knowledge_base/\n    topic/\n      note.md (5 bytes, 3 lines)\n",
            tree);
        Assert.Contains("topic/ (1 items, not expanded)", _plugin.ListFiles(".", maxDepth: 2));
        using var empty = new TempWorkspace();
        Assert.Equal("./\n(empty)\n", new FileSystemMemoryPlugin(empty.Workspace).ListFiles());
    }

    [Fact]
    public void ListOfMissingFolderIsAClearError()
    {
        Assert.StartsWith("Error: 'nope' does not exist.", _plugin.ListFiles("nope"));
    }

    [Fact]
    public async Task ListIsCutAtTheEntryLimit()
    {
        var plugin = new FileSystemMemoryPlugin(_temp.Workspace, new FileSystemMemoryPluginOptions { MaxListEntries = 3 });
        for (var i = 0; i < 5; i++)
        {
            await plugin.CreateFileAsync($"n{i}.md", "x");
        }

        var tree = plugin.ListFiles();

        Assert.Contains("n2.md", tree);
        Assert.DoesNotContain("n3.md", tree);
        Assert.Contains("[listing cut at 3 entries", tree);
    }

    [Fact]
    public async Task GrepFindsMatchingLines()
    {
        await _plugin.CreateFileAsync("kb/a.md", "Revenue grew 12%\nnothing\n");
        await _plugin.CreateFileAsync("kb/b.md", "profit fell\nREVENUE flat\n");

        Assert.Equal("kb/a.md:1: Revenue grew 12%\n", await _plugin.GrepAsync("Revenue"));
        Assert.Equal("kb/a.md:1: Revenue grew 12%\nkb/b.md:2: REVENUE flat\n", await _plugin.GrepAsync("revenue", "kb", ignoreCase: true));
        Assert.Equal("kb/b.md:1: profit fell\n", await _plugin.GrepAsync("pro.it", "kb/b.md"));
        Assert.StartsWith("No line matches 'zzz' in 2 file(s)", await _plugin.GrepAsync("zzz"));
    }

    [Fact]
    public async Task GrepReportsBadPatternsAndTimeouts()
    {
        var plugin = new FileSystemMemoryPlugin(_temp.Workspace, new FileSystemMemoryPluginOptions { RegexTimeout = TimeSpan.FromMilliseconds(5) });
        await plugin.CreateFileAsync("a.md", new string('a', 5000) + "!");

        Assert.StartsWith("Error: invalid regular expression '(unclosed'", await plugin.GrepAsync("(unclosed"));
        Assert.StartsWith("Error: pattern is empty", await plugin.GrepAsync(string.Empty));
        Assert.StartsWith("Error: the regular expression '(a|aa)+$' took longer than", await plugin.GrepAsync("(a|aa)+$"));
    }

    [Fact]
    public async Task GrepStopsAtMatchLimit()
    {
        var plugin = new FileSystemMemoryPlugin(_temp.Workspace, new FileSystemMemoryPluginOptions { MaxGrepMatches = 2 });
        await plugin.CreateFileAsync("a.md", "x\nx\nx\n");

        var result = await plugin.GrepAsync("x");

        Assert.Equal("a.md:1: x\na.md:2: x\n[stopped at 2 matches; narrow the pattern or the path]\n", result);
    }

    [Fact]
    public async Task SearchNotesFindsNotesAndFollowsWrites()
    {
        await _plugin.CreateFileAsync("kb/solar.md", "Solar capacity reached 1.6 TW in 2024.\n");
        await _plugin.CreateFileAsync("kb/wind.md", "Wind turbines grew taller.\n");

        Assert.StartsWith("kb/solar.md:1: Solar capacity", await _plugin.SearchNotesAsync("solar capacity"));

        // Index built; later writes update it incrementally.
        await _plugin.CreateFileAsync("kb/hydro.md", "Hydro dams store water.\n");
        Assert.StartsWith("kb/hydro.md:1:", await _plugin.SearchNotesAsync("dams"));
        await _plugin.ReplaceLinesAsync("kb/hydro.md", 1, 1, "Pumped storage.");
        Assert.Equal("No note matches 'dams'.", await _plugin.SearchNotesAsync("dams"));
        Assert.StartsWith("kb/hydro.md", await _plugin.SearchNotesAsync("pumped"));
    }

    [Fact]
    public async Task SearchNotesFiltersByFolderAndSurvivesBadSyntax()
    {
        await _plugin.CreateFileAsync("kb/a/x.md", "battery chemistry\n");
        await _plugin.CreateFileAsync("kb/b/y.md", "battery prices\n");

        var inB = await _plugin.SearchNotesAsync("battery", folder: "kb/b");
        Assert.Equal("kb/b/y.md:1: battery prices\n", inB);
        Assert.StartsWith("kb/", await _plugin.SearchNotesAsync("battery AND ("));
        Assert.StartsWith("Error: The search query is empty", await _plugin.SearchNotesAsync("  "));
        Assert.StartsWith("Error: '../x' uses '..'", await _plugin.SearchNotesAsync("battery", folder: "../x"));
    }

    [Fact]
    public async Task SizeLimitIsEnforced()
    {
        using var temp = new TempWorkspace(o => o.MaxFileBytes = 100);
        var plugin = new FileSystemMemoryPlugin(temp.Workspace);

        var result = await plugin.CreateFileAsync("big.md", new string('x', 200));

        Assert.StartsWith("Error: 'big.md' would be 200 bytes, over the limit of 100 bytes.", result);
        Assert.False(File.Exists(temp.Full("big.md")));
        temp.Write("huge.md", new string('y', 500));
        Assert.StartsWith("Error: 'huge.md' is 500 bytes, over the limit of 100 bytes", await plugin.ReadFileAsync("huge.md"));
    }

    [Fact]
    public async Task ReadOnlyModeRefusesEveryWrite()
    {
        await _plugin.CreateFileAsync("a.md", "one\n");
        var reader = new FileSystemMemoryPlugin(_temp.Workspace, new FileSystemMemoryPluginOptions { ReadOnly = true });
        const string Refused = "Error: the workspace is read-only in this stage; you can list, read, grep and search, but not write.";

        Assert.Equal(Refused, await reader.CreateFileAsync("b.md", "x"));
        Assert.Equal(Refused, await reader.AppendFileAsync("a.md", "x"));
        Assert.Equal(Refused, await reader.InsertLinesAsync("a.md", 1, "x"));
        Assert.Equal(Refused, await reader.ReplaceLinesAsync("a.md", 1, 1, "x"));
        Assert.Equal(Refused, await reader.DeleteLinesAsync("a.md", 1, 1));
        Assert.Contains("1 | one", await reader.ReadFileAsync("a.md"));
        Assert.Equal("one\n", File.ReadAllText(_temp.Full("a.md")));
        Assert.False(File.Exists(_temp.Full("b.md")));
    }

    [Fact]
    public async Task ProtectedFilesAreReadOnly()
    {
        await _plugin.CreateFileAsync("task.md", "question\n");
        var options = new FileSystemMemoryPluginOptions();
        options.ProtectedFiles.Add("task.md");
        var plugin = new FileSystemMemoryPlugin(_temp.Workspace, options);

        Assert.Equal("Error: 'Task.md' is managed by the host and read-only; you can read it but not change it.", await plugin.AppendFileAsync("./Task.md", "x"));
        Assert.StartsWith("Error: 'task.md' is managed", await plugin.CreateFileAsync("task.md", "x", overwrite: true));
        Assert.StartsWith("OK", await plugin.CreateFileAsync("other.md", "x"));
        Assert.Equal("question\n", File.ReadAllText(_temp.Full("task.md")));
    }

    [Fact]
    public async Task CancelledWriteKeepsOldContentAndLeavesNoTempFile()
    {
        await _plugin.CreateFileAsync("a.md", "old\n");
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _plugin.CreateFileAsync("a.md", "new", overwrite: true, cts.Token));

        Assert.Equal("old\n", File.ReadAllText(_temp.Full("a.md")));
        Assert.Equal(["a.md"], Directory.GetFiles(_temp.Root).Select(Path.GetFileName));
    }

    [Fact]
    public async Task ConcurrentAppendsLoseNothing()
    {
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => _plugin.AppendFileAsync("log.md", $"entry {i}")));

        var lines = File.ReadAllLines(_temp.Full("log.md"));
        Assert.Equal(40, lines.Length);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"entry {i}").Order(), lines.Order());
    }

    [Fact]
    public void InvalidOptionsAreRejectedAtConfiguration()
    {
        var bad = Assert.Throws<OptionsValidationException>(() => new FileSystemMemoryPlugin(_temp.Workspace, new FileSystemMemoryPluginOptions { MaxReadLines = 0 }));
        Assert.Contains("MaxReadLines", bad.Message);
        Assert.Contains("RegexTimeout", Assert.Throws<OptionsValidationException>(() => new FileSystemMemoryPluginOptions { RegexTimeout = TimeSpan.Zero }.Validate()).Message);
        Assert.Contains("RootPath", Assert.Throws<OptionsValidationException>(() => new MemoryWorkspace(new MemoryWorkspaceOptions())).Message);
        Assert.Contains("MaxFileBytes", Assert.Throws<OptionsValidationException>(() => new MemoryWorkspaceOptions { RootPath = "x", MaxFileBytes = 0 }.Validate()).Message);
        var options = new MemoryWorkspaceOptions { RootPath = "x" };
        options.NoteExtensions.Add("md");
        Assert.Contains("NoteExtensions", Assert.Throws<OptionsValidationException>(options.Validate).Message);
        Assert.Throws<ArgumentNullException>(() => new FileSystemMemoryPlugin(null!));
    }
}
