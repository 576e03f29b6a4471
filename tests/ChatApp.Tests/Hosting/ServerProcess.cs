using System.Diagnostics;
using System.Net.Sockets;

namespace Agents.Samples.ChatApp.Tests.Hosting;

/// <summary>A sample server (<c>dotnet X.dll ...</c>) as a real child process, with its output captured.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;

    private ServerProcess(Process process, StringBuilder output, int port)
    {
        _process = process;
        _output = output;
        Port = port;
    }

    /// <summary>Gets the port the server was told to listen on.</summary>
    public int Port { get; }

    /// <summary>Gets stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Waits until the output contains <paramref name="text"/> (the console logger writes from a queue of its own, so a
    /// line can arrive after the response it belongs to) and returns the output; gives up after <paramref name="timeout"/>.
    /// </summary>
    public async Task<string> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string output = Output;
        while (!output.Contains(text, StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            output = Output;
        }

        return output;
    }

    /// <summary>Returns the path of a sample's built dll (<c>samples/{project}/bin/{configuration}/net10.0/{assembly}.dll</c>).</summary>
    public static string SampleDll(string project, string assembly)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Agents.sln")))
        {
            dir = dir.Parent;
        }

        var path = Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Agents.sln not found above " + AppContext.BaseDirectory),
            "samples", project, "bin", configuration, "net10.0", assembly + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build samples/{project} first (the test project references it).", path);
    }

    /// <summary>Returns a port that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Starts the server with arguments made for a free port and waits until 127.0.0.1:port accepts connections.</summary>
    public static async Task<ServerProcess> StartAsync(string dll, Func<int, IEnumerable<string>> arguments)
    {
        var port = FreePort();
        var server = Launch(dll, arguments(port), port);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !server._process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Runs the server with arguments made for a free port until it exits by itself; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string dll, Func<int, IEnumerable<string>> arguments)
    {
        var port = FreePort();
        await using var server = Launch(dll, arguments(port), port);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await server._process.WaitForExitAsync(timeout.Token);
        server._process.WaitForExit(); // drains the redirected output
        return (server._process.ExitCode, server.Output);
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

    private static ServerProcess Launch(string dll, IEnumerable<string> arguments, int port)
    {
        // Each server process keeps its conversations in a file of its own (the default would be ./data in the test folder).
        var start = DotnetHost.StartInfo(
            dll,
            ["--ChatApp:ConversationsPath=" + Path.Combine(Path.GetTempPath(), "agents-chat-" + Guid.NewGuid().ToString("N"), "conversations.db"), .. arguments]);

        var output = new StringBuilder();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServerProcess(process, output, port);
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
