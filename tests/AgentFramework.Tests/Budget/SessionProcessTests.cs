using System.Diagnostics;
using Agents.AgentFramework.SessionHost;

namespace Agents.AgentFramework.Tests.Budget;

/// <summary>A serialized session of a budgeted ChatClientAgent resumes in a new process with its budget.</summary>
public sealed class SessionProcessTests
{
    [Fact]
    public async Task ASessionSavedByOneProcess_ResumesInAnother_WithItsSpendAndHistory()
    {
        string file = Path.Combine(Path.GetTempPath(), "agents-maf-session-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            (int firstExit, string first) = await RunHostAsync("first", file);
            Assert.True(firstExit == 0, first);
            Assert.Contains("RESULT used=2 ran=2 sawFirst=True refused=False", first, StringComparison.Ordinal);

            (int secondExit, string second) = await RunHostAsync("resume", file);

            // The fresh tracker in the second process starts from the session's 2 units: the next 2-unit search is refused.
            Assert.True(secondExit == 0, second);
            Assert.Contains("RESULT used=2 ran=0 sawFirst=True refused=True", second, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunHostAsync(string mode, string file)
    {
        string hostDll = typeof(SearchingModel).Assembly.Location;
        string dotnet = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        var info = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(hostDll);
        info.ArgumentList.Add(mode);
        info.ArgumentList.Add(file);
        using Process process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the session host.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        Task<string> stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
