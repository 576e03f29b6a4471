using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Agents.Samples.ChatApp.Tests.Mcp;

/// <summary>The MCP server as a real child process over stdio, driven by the ModelContextProtocol client.</summary>
public sealed class McpServerStdioTests
{
    [Fact]
    public async Task Lists_the_tools_and_every_call_returns_the_budget_status()
    {
        var (docs, workspace) = McpServerProcess.CreateFolders();
        await using var client = await McpServerProcess.StartStdioAsync(
            $"--Mcp:Research:DocumentsFolder={docs}", $"--Mcp:Research:WorkspaceRoot={workspace}",
            "--Mcp:Budget:SearchUnits=10", "--Mcp:Budget:MemoryCalls=50");

        var tools = await client.ListToolsAsync();
        var names = tools.Select(t => t.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(
            ["browser_browse", "browser_find_in_page", "budget_status", "memory_append_file", "memory_check_citations", "memory_create_file", "memory_delete_lines", "memory_grep",
             "memory_insert_lines", "memory_list_files", "memory_read_file", "memory_replace_lines", "memory_search_notes", "web_search"],
            names);
        var search = tools.Single(t => t.Name == "web_search");
        Assert.Contains("queries", search.JsonSchema.GetRawText(), StringComparison.Ordinal);

        var found = await CallAsync(client, "web_search", new() { ["queries"] = new[] { "Lucene full-text", "budget tracker" } });
        Assert.False(found.IsError, Text(found));
        Assert.Contains("lucene.md", Text(found), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<budget>", Text(found), StringComparison.Ordinal);
        Assert.Equal(2, Category(found, "search").GetProperty("used").GetInt64());
        Assert.Equal(8, Category(found, "search").GetProperty("remaining").GetInt64());

        var created = await CallAsync(client, "memory_create_file", new() { ["path"] = "notes/bats.md", ["content"] = "BATS line one\nline two" });
        Assert.False(created.IsError, Text(created));
        var appended = await CallAsync(client, "memory_append_file", new() { ["path"] = "notes/bats.md", ["content"] = "line three" });
        Assert.False(appended.IsError, Text(appended));
        var inserted = await CallAsync(client, "memory_insert_lines", new() { ["path"] = "notes/bats.md", ["line"] = 1, ["content"] = "# Title" });
        Assert.False(inserted.IsError, Text(inserted));
        var replaced = await CallAsync(client, "memory_replace_lines", new() { ["path"] = "notes/bats.md", ["startLine"] = 3, ["endLine"] = 3, ["content"] = "line 2" });
        Assert.False(replaced.IsError, Text(replaced));
        var deleted = await CallAsync(client, "memory_delete_lines", new() { ["path"] = "notes/bats.md", ["startLine"] = 4, ["endLine"] = 4 });
        Assert.False(deleted.IsError, Text(deleted));
        var read = await CallAsync(client, "memory_read_file", new() { ["path"] = "notes/bats.md" });
        Assert.Contains("# Title", Text(read), StringComparison.Ordinal);
        Assert.Contains("line 2", Text(read), StringComparison.Ordinal);
        Assert.DoesNotContain("line three", Text(read), StringComparison.Ordinal);
        Assert.Equal("# Title\nBATS line one\nline 2", File.ReadAllText(Path.Combine(workspace, "notes", "bats.md")).TrimEnd('\n'));

        var listed = await CallAsync(client, "memory_list_files", new());
        Assert.Contains("bats.md", Text(listed), StringComparison.Ordinal);
        var grep = await CallAsync(client, "memory_grep", new() { ["pattern"] = "BATS" });
        Assert.Contains("BATS line one", Text(grep), StringComparison.Ordinal);
        var notes = await CallAsync(client, "memory_search_notes", new() { ["query"] = "BATS" });
        Assert.Contains("bats.md", Text(notes), StringComparison.Ordinal);
        var citations = await CallAsync(client, "memory_check_citations", new() { ["path"] = "notes/bats.md" });
        Assert.Contains("<budget>", Text(citations), StringComparison.Ordinal);

        var status = await CallAsync(client, "budget_status", new());
        Assert.False(status.IsError);
        Assert.Equal(2, Category(status, "search").GetProperty("used").GetInt64());
        Assert.Equal(10, Category(status, "memory").GetProperty("used").GetInt64());
        Assert.False(status.StructuredContent!.Value.GetProperty("exhausted").GetBoolean());
    }

    [Fact]
    public async Task Exhausted_budget_refuses_the_call_clearly_and_bad_arguments_are_not_charged()
    {
        await using var client = await McpServerProcess.StartStdioAsync(
            McpServerProcess.OverFolders("--Mcp:Budget:SearchUnits=3"));

        var empty = await CallAsync(client, "web_search", new() { ["queries"] = Array.Empty<string>() });
        Assert.True(empty.IsError);
        Assert.Contains("empty", Text(empty), StringComparison.Ordinal);
        Assert.Equal(0, Category(empty, "search").GetProperty("used").GetInt64());

        var first = await CallAsync(client, "web_search", new() { ["queries"] = new[] { "lucene", "budget" } });
        Assert.False(first.IsError);

        var tooMany = await CallAsync(client, "web_search", new() { ["queries"] = new[] { "tracker", "search" } });
        Assert.True(tooMany.IsError);
        Assert.StartsWith("Refused: ", Text(tooMany), StringComparison.Ordinal);
        Assert.Contains("search", Text(tooMany), StringComparison.Ordinal);
        Assert.Equal(2, Category(tooMany, "search").GetProperty("used").GetInt64());

        var last = await CallAsync(client, "web_search", new() { ["queries"] = new[] { "tracker" } });
        Assert.False(last.IsError);
        Assert.Equal(0, Category(last, "search").GetProperty("remaining").GetInt64());

        var exhausted = await CallAsync(client, "web_search", new() { ["queries"] = new[] { "lucene" } });
        Assert.True(exhausted.IsError);
        Assert.Contains("exhausted", Text(exhausted), StringComparison.OrdinalIgnoreCase);
        Assert.True(exhausted.StructuredContent!.Value.GetProperty("exhausted").GetBoolean());
        Assert.Equal(3, Category(exhausted, "search").GetProperty("used").GetInt64());
    }

    [Fact]
    public async Task Browse_reads_a_local_page_when_loopback_is_allowed_archives_it_and_is_charged_per_url()
    {
        await using var web = await LocalWebPages.StartAsync();
        var (docs, workspace) = McpServerProcess.CreateFolders();
        await using var client = await McpServerProcess.StartStdioAsync(
            $"--Mcp:Research:DocumentsFolder={docs}", $"--Mcp:Research:WorkspaceRoot={workspace}",
            "--Mcp:Research:AllowLoopback=true", "--Mcp:Budget:BrowseUnits=2");

        var read = await CallAsync(client, "browser_browse", new() { ["urls"] = new[] { web.Article.ToString() }, ["goal"] = "arXiv number" });
        Assert.False(read.IsError, Text(read));
        Assert.Contains("2511.17006", Text(read), StringComparison.Ordinal);
        Assert.Equal(1, Category(read, "browse").GetProperty("used").GetInt64());

        var found = await CallAsync(client, "browser_find_in_page", new() { ["url"] = web.Article.ToString(), ["text"] = "one hundred" });
        Assert.Contains("one hundred calls", Text(found), StringComparison.Ordinal);
        Assert.Equal(1, Category(found, "browse").GetProperty("used").GetInt64());

        Assert.NotEmpty(Directory.GetFiles(Path.Combine(workspace, "knowledge_base", "sources"), "*.md"));

        var refused = await CallAsync(client, "browser_browse", new() { ["urls"] = new[] { web.Article + "?a", web.Article + "?b" }, ["goal"] = "again" });
        Assert.True(refused.IsError);
        Assert.StartsWith("Refused: ", Text(refused), StringComparison.Ordinal);
        Assert.Equal(1, Category(refused, "browse").GetProperty("used").GetInt64());
    }

    [Fact]
    public async Task Browse_with_chromium_reads_a_local_page()
    {
        await using var web = await LocalWebPages.StartAsync();
        await using var client = await McpServerProcess.StartStdioAsync(
            McpServerProcess.OverFolders("--Mcp:Research:Browser=chromium", "--Mcp:Research:AllowLoopback=true"));

        var read = await CallAsync(client, "browser_browse", new() { ["urls"] = new[] { web.Article.ToString() }, ["goal"] = "arXiv number" });

        Assert.False(read.IsError, Text(read));
        Assert.Contains("2511.17006", Text(read), StringComparison.Ordinal);
        Assert.Equal(1, Category(read, "browse").GetProperty("used").GetInt64());
    }

    [Fact]
    public async Task Browse_refuses_loopback_addresses_by_default()
    {
        await using var web = await LocalWebPages.StartAsync();
        await using var client = await McpServerProcess.StartStdioAsync(McpServerProcess.OverFolders());

        var read = await CallAsync(client, "browser_browse", new() { ["urls"] = new[] { web.Article.ToString() }, ["goal"] = "arXiv number" });

        Assert.DoesNotContain("2511.17006", Text(read), StringComparison.Ordinal);
        Assert.Contains("<budget>", Text(read), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Memory_tools_stay_inside_the_workspace()
    {
        await using var client = await McpServerProcess.StartStdioAsync(McpServerProcess.OverFolders());

        var escape = await CallAsync(client, "memory_read_file", new() { ["path"] = "../../../../etc/passwd" });
        Assert.DoesNotContain("root:", Text(escape), StringComparison.Ordinal);
        var outside = Path.Combine(Path.GetTempPath(), "agents-mcp-escape-" + Guid.NewGuid().ToString("N") + ".md");
        await CallAsync(client, "memory_create_file", new() { ["path"] = outside, ["content"] = "x" });
        Assert.False(File.Exists(outside));
    }

    [Fact]
    public async Task Bad_configuration_exits_with_a_message_naming_the_option()
    {
        var (exitCode, _, stderr) = await DotnetHost.RunAsync(McpServerProcess.DllPath, ["--Mcp:Research:DocumentsFolder=/nonexistent/folder"], TimeSpan.FromMinutes(2));

        Assert.Equal(2, exitCode);
        Assert.Contains("Configuration error: Mcp:Research:DocumentsFolder '/nonexistent/folder' is not a folder", stderr, StringComparison.Ordinal);
    }

    internal static async Task<CallToolResult> CallAsync(McpClient client, string tool, Dictionary<string, object?> arguments)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await client.CallToolAsync(tool, arguments, cancellationToken: timeout.Token);
    }

    internal static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));

    internal static JsonElement Category(CallToolResult result, string name) =>
        result.StructuredContent!.Value.GetProperty("categories").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
}
