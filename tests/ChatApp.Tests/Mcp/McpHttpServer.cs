using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ModelContextProtocol.Client;

namespace Agents.Samples.ChatApp.Tests.Mcp;

/// <summary>The MCP server as a real child process serving Streamable HTTP on a free 127.0.0.1 port.</summary>
internal sealed class McpHttpServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log;

    private McpHttpServer(Process process, Uri endpoint, StringBuilder log)
    {
        _process = process;
        Endpoint = endpoint;
        _log = log;
    }

    public Uri Endpoint { get; }

    /// <summary>Gets what the process wrote so far (stdout and stderr), for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts the server with <paramref name="arguments"/> and waits until it listens (or exits).</summary>
    public static async Task<McpHttpServer> StartAsync(params string[] arguments)
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(McpServerProcess.DllPath);
        start.ArgumentList.Add("--Mcp:Transport=http");
        start.ArgumentList.Add($"--Mcp:Urls=http://127.0.0.1:{port}");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var log = new StringBuilder();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100);
            }
        }

        return new McpHttpServer(process, new Uri($"http://127.0.0.1:{port}/mcp"), log);
    }

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

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static void Append(StringBuilder log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.AppendLine(line);
        }
    }
}
