namespace Agents.Samples.ChatApp.Tests.Mcp;

/// <summary>The MCP server (real child process over stdio): local search hits can be browsed, show no server path, and refused URLs cost nothing.</summary>
public sealed partial class McpLocalDocumentsTests
{
    [Fact]
    public async Task Search_hits_are_browsable_show_no_server_path_and_refused_urls_cost_nothing()
    {
        var (docs, workspace) = McpServerProcess.CreateFolders();
        await using var client = await McpServerProcess.StartStdioAsync(
            $"--Mcp:Research:DocumentsFolder={docs}", $"--Mcp:Research:WorkspaceRoot={workspace}", "--Mcp:Budget:BrowseUnits=3");

        foreach (var refusedUrl in new[] { "file:///etc/passwd", "http://127.0.0.1:9/private", "http://local-documents.invalid/..%2f..%2fetc%2fpasswd.md" })
        {
            var refused = await CallAsync(client, "browser_browse", new() { ["urls"] = new[] { refusedUrl }, ["goal"] = "secrets" });
            Assert.Matches("refused|Nothing was read", Text(refused));
            Assert.DoesNotContain("root:", Text(refused), StringComparison.Ordinal);
            Assert.Equal(0, Category(refused, "browse").GetProperty("used").GetInt64());
        }

        var found = await CallAsync(client, "web_search", new() { ["queries"] = new[] { "Lucene full-text" } });
        Assert.False(found.IsError, Text(found));
        Assert.DoesNotContain(docs, Text(found), StringComparison.Ordinal);
        var hit = HitUrl().Match(Text(found));
        Assert.True(hit.Success, Text(found));
        Assert.StartsWith("http://local-documents.invalid/", hit.Groups[1].Value, StringComparison.Ordinal);

        var read = await CallAsync(client, "browser_browse", new() { ["urls"] = new[] { hit.Groups[1].Value }, ["goal"] = "what Lucene.Net is" });
        Assert.False(read.IsError, Text(read));
        Assert.Contains("Lucene.Net is an embedded full-text search library", Text(read), StringComparison.Ordinal);
        Assert.DoesNotContain(docs, Text(read), StringComparison.Ordinal);
        Assert.Equal(1, Category(read, "browse").GetProperty("used").GetInt64());
    }

    [GeneratedRegex(@"(?m)^\s+(\S+lucene\.md)\s*$")]
    private static partial Regex HitUrl();
}
