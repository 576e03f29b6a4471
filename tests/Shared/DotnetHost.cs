using System.Diagnostics;

namespace Agents.Tests.Shared;

/// <summary>
/// Runs a built program (<c>dotnet X.dll ...</c>) as a real child process with its output redirected, on the
/// <c>dotnet</c> that runs the tests. Linked into each test project that starts one.
/// </summary>
internal static class DotnetHost
{
    /// <summary>The <c>dotnet</c> running the tests where that is one, else the one on the path.</summary>
    public static string Dotnet =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";

    /// <summary>The start of <c>dotnet <paramref name="dll"/> <paramref name="arguments"/></c>, output and errors redirected.</summary>
    public static ProcessStartInfo StartInfo(string dll, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(Dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    /// <summary>Runs the program to its end (killing it after <paramref name="timeout"/>): its exit code, output and errors.</summary>
    public static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(string dll, IEnumerable<string> arguments, TimeSpan timeout)
    {
        using Process process = Process.Start(StartInfo(dll, arguments)) ?? throw new InvalidOperationException("Could not start " + dll + ".");
        using var cancel = new CancellationTokenSource(timeout);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(cancel.Token);
        Task<string> stderr = process.StandardError.ReadToEndAsync(cancel.Token);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
