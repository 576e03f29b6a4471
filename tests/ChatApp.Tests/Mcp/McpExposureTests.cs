using System.Globalization;
using ModelContextProtocol.Client;

namespace Agents.Samples.ChatApp.Tests.Mcp;

/// <summary>
/// Who may reach the MCP server over HTTP: the API key is required from the addresses actually bound, every
/// request's Host must name the server, and /mcp answers a browser page's Origin only when it is the server itself
/// or listed (MCP Streamable HTTP: 403 otherwise).
/// </summary>
public sealed class McpExposureTests
{
    private const string Key = "mcp-test-key-0123456789";

    [Theory]
    [InlineData("--Kestrel:Endpoints:X:Url", "http://0.0.0.0:{0}")]
    [InlineData("--urls", "http://+:{0}")]
    public async Task Bound_beyond_loopback_it_refuses_to_run_without_a_key_and_with_one_serves_only_key_holders(string setting, string address)
    {
        var docs = McpServerProcess.CreateFolders().Docs;
        string[] Arguments(int port) => ["--Mcp:Transport=http", setting, string.Format(CultureInfo.InvariantCulture, address, port), "--Mcp:Research:DocumentsFolder=" + docs];

        var (exitCode, output) = await ServerProcess.RunToExitAsync(McpServerProcess.DllPath, Arguments);

        Assert.Equal(2, exitCode);
        Assert.Contains("Configuration error: The server listens on http://", output, StringComparison.Ordinal);
        Assert.Contains("which other machines can reach, and Mcp:ApiKey is not set, so it refuses to run.", output, StringComparison.Ordinal);

        await using var server = await ServerProcess.StartAsync(McpServerProcess.DllPath, port => [.. Arguments(port), "--Mcp:ApiKey=" + Key]);
        var endpoint = McpServerProcess.Endpoint(server);
        await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(endpoint, null));
        await using var client = await ConnectAsync(endpoint, Key);
        var status = await CallAsync(client, "budget_status", new());
        Assert.False(status.IsError, Text(status));
    }

    [Fact]
    public async Task A_foreign_Origin_gets_403_a_foreign_Host_400_and_the_allow_lists_admit_more()
    {
        await using var server = await McpServerProcess.StartHttpAsync(
            McpServerProcess.OverFolders("--Mcp:AllowedOrigins=http://localhost:6274", "--Mcp:AllowedHosts=mcp.example.org"));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Port}/"), Timeout = TimeSpan.FromSeconds(30) };
        var port = server.Port;

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(http, origin: null, host: null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(http, $"http://127.0.0.1:{port}", null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(http, $"http://localhost:{port}", null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(http, "http://localhost:6274", null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(http, null, $"mcp.example.org:{port}")).Status);

        // DNS rebinding: the hostile page's requests carry its own origin and host name.
        var rebound = await PostAsync(http, $"http://evil.example:{port}", null);
        Assert.Equal(HttpStatusCode.Forbidden, rebound.Status);
        Assert.Contains("add it to Mcp:AllowedOrigins", rebound.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(http, "null", null)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(http, "http://127.0.0.1:1", null)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(http, $"https://127.0.0.1:{port}", null)).Status);
        var foreignHost = await PostAsync(http, null, $"evil.example:{port}");
        Assert.Equal(HttpStatusCode.BadRequest, foreignHost.Status);
        Assert.Contains("add the host to Mcp:AllowedHosts", foreignHost.Body, StringComparison.Ordinal);
        const string logged = "Refused a request from Origin 'http://evil.example:";
        Assert.Contains(logged, await server.WaitForOutputAsync(logged, TimeSpan.FromSeconds(30)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Mcp:AllowedOrigins=evil.example", "Mcp:AllowedOrigins contains 'evil.example', which is not an origin")]
    [InlineData("--Mcp:AllowedOrigins=http://localhost:6274/app", "Mcp:AllowedOrigins contains 'http://localhost:6274/app', which is not an origin")]
    [InlineData("--Mcp:AllowedHosts=http://mcp.example.org", "Mcp:AllowedHosts contains 'http://mcp.example.org', which is not a host name or IP address")]
    public async Task A_malformed_allow_list_exits_with_a_message_naming_the_option(string argument, string message)
    {
        var docs = McpServerProcess.CreateFolders().Docs;

        var (exitCode, output) = await ServerProcess.RunToExitAsync(McpServerProcess.DllPath, port =>
            ["--Mcp:Transport=http", $"--Mcp:Urls=http://127.0.0.1:{port}", "--Mcp:Research:DocumentsFolder=" + docs, argument]);

        Assert.Equal(2, exitCode);
        Assert.Contains(message, output, StringComparison.Ordinal);
    }

    internal static async Task<McpClient> ConnectAsync(Uri endpoint, string? key)
    {
        var options = new HttpClientTransportOptions { Endpoint = endpoint, TransportMode = HttpTransportMode.StreamableHttp };
        if (key is not null)
        {
            options.AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + key };
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await McpClient.CreateAsync(new HttpClientTransport(options), cancellationToken: timeout.Token);
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient http, string? origin, string? host)
    {
        const string Initialize = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"probe\",\"version\":\"1.0\"}}}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "mcp") { Content = new StringContent(Initialize, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (host is not null)
        {
            request.Headers.Host = host;
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
