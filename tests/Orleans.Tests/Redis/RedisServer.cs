using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Agents.Budget.Orleans.Tests.Redis;

/// <summary>A real redis-server (Debian's) on a free loopback port, with no persistence to disk; one per test class.</summary>
public sealed class RedisServer : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "agents-redis-" + Guid.NewGuid().ToString("N"));
    private Process? _process;

    /// <summary>Gets the StackExchange.Redis configuration string of the server.</summary>
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        string executable = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server is not installed: run ./build.sh test (it installs Debian's redis-server) or apt-get install -y redis-server.");
        Directory.CreateDirectory(_dir);
        int port = LocalPorts.Free();
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _dir })
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("Could not start redis-server.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(100);
            }
        }

        ConnectionString = "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }
}
