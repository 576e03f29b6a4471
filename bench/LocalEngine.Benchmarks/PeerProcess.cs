using System.Diagnostics;
using System.Globalization;

namespace Agents.LocalEngine.Benchmarks;

/// <summary>One side of the peer bench: a long-lived process that answers each "run" line with one RESULT line.</summary>
internal sealed class PeerProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _name;

    private PeerProcess(Process process, string name)
    {
        _process = process;
        _name = name;
    }

    /// <summary>Starts <paramref name="exe"/> and waits for its READY line (it has loaded the model and warmed up).</summary>
    public static PeerProcess Start(string exe, string[] args)
    {
        var info = new ProcessStartInfo(exe) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        var peer = new PeerProcess(Process.Start(info)!, $"{Path.GetFileName(exe)} {args[0]}");
        peer.ReadUntil("READY");
        return peer;
    }

    /// <summary>Asks for one decode; returns its decode wall and CPU milliseconds per token and the ids it chose.</summary>
    public PeerResult Decode()
    {
        _process.StandardInput.WriteLine("run");
        _process.StandardInput.Flush();
        var line = ReadUntil("RESULT ");
        var fields = line[7..].Split(' ').Select(f => f.Split('=', 2)).ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
        return new PeerResult(
            double.Parse(fields["ms_per_token"], CultureInfo.InvariantCulture),
            double.Parse(fields["cpu_ms_per_token"], CultureInfo.InvariantCulture),
            fields["tokens"],
            fields.TryGetValue("run_ms", out var run)
                ? $"; engine step: ORT run {run} ms, choose {fields["choose_ms"]} ms, scheduling {fields["scheduling_ms"]} ms"
                : string.Empty);
    }

    public void Dispose()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(30_000))
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    private string ReadUntil(string prefix)
    {
        while (_process.StandardOutput.ReadLine() is { } line)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new InvalidOperationException($"{_name} ended (exit code {(_process.HasExited ? _process.ExitCode : -1)}) before printing '{prefix}'.");
    }
}
