using Agents.AgentFramework.SessionHost;
using Agents.Tests.Shared;

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
        var (exitCode, stdout, stderr) = await DotnetHost.RunAsync(typeof(SearchingModel).Assembly.Location, [mode, file], TimeSpan.FromMinutes(2));
        return (exitCode, stdout + stderr);
    }
}
