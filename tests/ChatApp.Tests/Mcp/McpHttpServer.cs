using Agents.Samples.ChatApp.Tests.Hosting;
using ModelContextProtocol.Client;

namespace Agents.Samples.ChatApp.Tests.Mcp;

/// <summary>The MCP server as a real child process serving Streamable HTTP on a free 127.0.0.1 port.</summary>
internal sealed class McpHttpServer : IAsyncDisposable
{
    private readonly ServerProcess _process;

    private McpHttpServer(ServerProcess process)
    {
        _process = process;
        Endpoint = new Uri($"http://127.0.0.1:{process.Port}/mcp");
    }

    public Uri Endpoint { get; }

    /// <summary>Gets what the process wrote so far (stdout and stderr), for failure messages.</summary>
    public string Log => _process.Output;

    /// <summary>Starts the server with <paramref name="arguments"/> and waits until it listens (or exits).</summary>
    public static async Task<McpHttpServer> StartAsync(params string[] arguments) =>
        new(await ServerProcess.StartAsync(McpServerProcess.DllPath, port => ["--Mcp:Transport=http", $"--Mcp:Urls=http://127.0.0.1:{port}", .. arguments]));

    /// <summary>Connects an MCP client, with the API key when given.</summary>
    public static async Task<McpClient> ConnectAsync(Uri endpoint, string? key)
    {
        var options = new HttpClientTransportOptions { Endpoint = endpoint, TransportMode = HttpTransportMode.StreamableHttp };
        if (key is not null)
        {
            options.AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + key };
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await McpClient.CreateAsync(new HttpClientTransport(options), cancellationToken: timeout.Token);
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
