using static Agents.Samples.ChatApp.Tests.Mcp.McpExposureTests;

namespace Agents.Samples.ChatApp.Tests.Mcp;

/// <summary>The MCP server as a real child process over Streamable HTTP on 127.0.0.1.</summary>
public sealed class McpServerHttpTests
{
    private const string Key = "mcp-test-key-0123456789";

    [Fact]
    public async Task Http_transport_serves_the_tools_and_keeps_one_budget_across_requests()
    {
        await using var server = await McpServerProcess.StartHttpAsync(McpServerProcess.OverFolders("--Mcp:Budget:SearchUnits=3"));

        await using (var client = await ConnectAsync(McpServerProcess.Endpoint(server), null))
        {
            var tools = await client.ListToolsAsync();
            Assert.Contains(tools, t => t.Name == "web_search");
            Assert.Contains(tools, t => t.Name == "memory_read_file");
            var first = await CallAsync(client, "web_search", new() { ["queries"] = new[] { "lucene", "tracker" } });
            Assert.False(first.IsError, Text(first));
            Assert.Contains("lucene.md", Text(first), StringComparison.OrdinalIgnoreCase);
        }

        await using (var second = await ConnectAsync(McpServerProcess.Endpoint(server), null))
        {
            var refused = await CallAsync(second, "web_search", new() { ["queries"] = new[] { "a", "b" } });
            Assert.True(refused.IsError);
            Assert.StartsWith("Refused: ", Text(refused), StringComparison.Ordinal);
            Assert.Equal(2, Category(refused, "search").GetProperty("used").GetInt64());
        }
    }

    [Fact]
    public async Task Http_transport_requires_the_api_key_when_set_and_refuses_bad_requests()
    {
        await using var server = await McpServerProcess.StartHttpAsync(McpServerProcess.OverFolders($"--Mcp:ApiKey={Key}"));

        await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(McpServerProcess.Endpoint(server), null));

        await using (var client = await ConnectAsync(McpServerProcess.Endpoint(server), Key))
        {
            var status = await CallAsync(client, "budget_status", new());
            Assert.Contains("<budget>", Text(status), StringComparison.Ordinal);
        }

        using var http = new HttpClient();
        using var noKey = new HttpRequestMessage(HttpMethod.Post, McpServerProcess.Endpoint(server)) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        noKey.Headers.Accept.ParseAdd("application/json");
        noKey.Headers.Accept.ParseAdd("text/event-stream");
        using var unauthorized = await http.SendAsync(noKey);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Contains("API key", await unauthorized.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var malformed = new HttpRequestMessage(HttpMethod.Post, McpServerProcess.Endpoint(server)) { Content = new StringContent("{\"jsonrpc\":", Encoding.UTF8, "application/json") };
        malformed.Headers.Accept.ParseAdd("application/json");
        malformed.Headers.Accept.ParseAdd("text/event-stream");
        malformed.Headers.Add("X-Api-Key", Key);
        using var parseError = await http.SendAsync(malformed);
        Assert.Equal(HttpStatusCode.BadRequest, parseError.StatusCode);
        Assert.Contains("did not contain a valid JSON-RPC message", await parseError.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var huge = new HttpRequestMessage(HttpMethod.Post, McpServerProcess.Endpoint(server))
        {
            Content = new StringContent("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\"" + new string('x', 300_000) + "\"}}", Encoding.UTF8, "application/json"),
        };
        huge.Headers.Accept.ParseAdd("application/json");
        huge.Headers.Accept.ParseAdd("text/event-stream");
        huge.Headers.Add("X-Api-Key", Key);
        huge.Headers.ExpectContinue = true; // the server answers 413 from Content-Length before the body is sent
        using var tooLarge = await http.SendAsync(huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Contains("at most 262144 bytes", await tooLarge.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var wrongAccept = new HttpRequestMessage(HttpMethod.Post, McpServerProcess.Endpoint(server)) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        wrongAccept.Headers.Accept.ParseAdd("text/html");
        wrongAccept.Headers.Add("X-Api-Key", Key);
        using var notAcceptable = await http.SendAsync(wrongAccept);
        Assert.Equal(HttpStatusCode.NotAcceptable, notAcceptable.StatusCode);
    }

    [Fact]
    public async Task Http_transport_on_a_non_loopback_address_without_a_key_does_not_start()
    {
        var (exitCode, _, stderr) = await DotnetHost.RunAsync(
            McpServerProcess.DllPath,
            ["--Mcp:Transport=http", "--Mcp:Urls=http://0.0.0.0:0", "--Mcp:Research:DocumentsFolder=" + McpServerProcess.CreateFolders().Docs],
            TimeSpan.FromMinutes(2));

        Assert.Equal(2, exitCode);
        Assert.Contains("Mcp:Urls binds 'http://0.0.0.0:0', which is not a loopback address; set Mcp:ApiKey", stderr, StringComparison.Ordinal);
    }
}
