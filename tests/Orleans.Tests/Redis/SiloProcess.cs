using System.Diagnostics;
using System.Globalization;
using System.Text;
using Agents.Budget.Orleans.SiloHost;
using Agents.Tests.Shared;

namespace Agents.Budget.Orleans.Tests.Redis;

/// <summary>A real process of <c>Agents.Budget.Orleans.SiloHost</c>: a silo, or a worker that hangs holding a lease.</summary>
internal sealed class SiloProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<string> _firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SiloProcess(IEnumerable<string> args)
    {
        ProcessStartInfo info = DotnetHost.StartInfo(typeof(SiloDefaults).Assembly.Location, args);

        _process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the silo host.");
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int SiloPort { get; private init; }

    public int ProcessId => _process.Id;

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

    public static async Task<SiloProcess> StartSiloAsync(string redis, string clusterId)
    {
        int siloPort = LocalPorts.Free();
        int gatewayPort = LocalPorts.Free();
        var silo = new SiloProcess([redis, clusterId, siloPort.ToString(CultureInfo.InvariantCulture), gatewayPort.ToString(CultureInfo.InvariantCulture)]) { SiloPort = siloPort };
        await silo.WaitForAsync("silo ready");
        return silo;
    }

    public static async Task<(SiloProcess Worker, string Line)> StartWorkerAsync(string redis, string clusterId, string budgetId, int units, int leaseSeconds)
    {
        var worker = new SiloProcess(["worker", redis, clusterId, budgetId, units.ToString(CultureInfo.InvariantCulture), leaseSeconds.ToString(CultureInfo.InvariantCulture)]);
        string line = await worker.WaitForAsync("reserved");
        return (worker, line);
    }

    public static async Task<SiloProcess> StartPoolWorkerAsync(string redis, string clusterId, string poolId, int workMilliseconds)
    {
        var worker = new SiloProcess(["pool-worker", redis, clusterId, poolId, workMilliseconds.ToString(CultureInfo.InvariantCulture)]);
        await worker.WaitForAsync("worker ready");
        return worker;
    }

    /// <summary>Waits for the process to exit by itself.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    /// <summary>Kills the process at once (SIGKILL): no graceful shutdown, no goodbye to the cluster.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private async Task<string> WaitForAsync(string prefix)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            string line = await _firstLine.Task.WaitAsync(timeout.Token);
            return line.StartsWith(prefix, StringComparison.Ordinal)
                ? line
                : throw new InvalidOperationException($"The silo host said '{line}' instead of '{prefix}':\n{Output}");
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"The silo host did not say '{prefix}' within 120 s:\n{Output}");
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            _firstLine.TrySetException(new InvalidOperationException("The silo host exited:\n" + Output));
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.StartsWith("silo ready", StringComparison.Ordinal) || line.StartsWith("worker ready", StringComparison.Ordinal) || line.StartsWith("reserved", StringComparison.Ordinal) || line.StartsWith("denied", StringComparison.Ordinal))
        {
            _firstLine.TrySetResult(line);
        }
    }
}
