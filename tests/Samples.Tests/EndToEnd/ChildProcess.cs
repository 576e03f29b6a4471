using System.Diagnostics;

namespace Agents.Samples.Tests.EndToEnd;

/// <summary>Runs a sample as a real child process (<c>dotnet Sample.dll args</c>) and captures its output.</summary>
internal static class ChildProcess
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public string All => StdOut + "\n" + StdErr;

        public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{StdOut}\n--- stderr ---\n{StdErr}";
    }

    /// <summary>The built dll of a sample (same configuration as this test assembly).</summary>
    public static string SampleDll(string project, string assembly)
    {
        string testBin = AppContext.BaseDirectory; // .../tests/Samples.Tests/bin/<Config>/net10.0/
        var dir = new DirectoryInfo(testBin);
        string tfm = dir.Name;
        string configuration = dir.Parent!.Name;
        var root = dir;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Agents.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        string dll = Path.Combine(root!.FullName, "samples", project, "bin", configuration, tfm, assembly + ".dll");
        Assert.True(File.Exists(dll), $"{dll} is not built");
        return dll;
    }

    public static Task<Result> RunAsync(string dll, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null) =>
        RunAsync(dll, args, workingDirectory, environment, timeout, onLine: null);

    /// <summary>Runs the process; <paramref name="onLine"/> sees each stdout line with the process (to send a signal, for example); <paramref name="stdin"/> is written to its standard input, which is then closed.</summary>
    public static async Task<Result> RunAsync(string dll, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string?>? environment, TimeSpan? timeout, Action<string, Process>? onLine, string? stdin = null)
    {
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var name in new[] { "OPENAI_API_KEY", "AGENTS_MODEL_DIR", "AGENTS_ENDPOINT", "AGENTS_MODEL_ID", "AGENTS_SEARCH", "AGENTS_INDEX_DIR", "SEARXNG_URL", "BRAVE_API_KEY", "TAVILY_API_KEY" })
        {
            psi.Environment.Remove(name);
        }

        if (environment is not null)
        {
            foreach (var (k, v) in environment)
            {
                psi.Environment[k] = v;
            }
        }

        using var process = new Process { StartInfo = psi };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var outDone = new TaskCompletionSource();
        var errDone = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                outDone.TrySetResult();
                return;
            }

            lock (stdout)
            {
                stdout.AppendLine(e.Data);
            }

            onLine?.Invoke(e.Data, process);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                errDone.TrySetResult();
                return;
            }

            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.Start();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"{Path.GetFileName(dll)} did not finish in time.\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}");
        }

        await Task.WhenAll(outDone.Task, errDone.Task).WaitAsync(TimeSpan.FromSeconds(10));
        return new Result(process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Sends SIGINT (what Ctrl+C sends) to the process.</summary>
    public static void Interrupt(Process process)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
    }
}
