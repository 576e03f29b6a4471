using static Agents.Samples.Tests.EndToEnd.ResearchAgentProcess;

namespace Agents.Samples.Tests.EndToEnd;

/// <summary>The <c>--framework</c> options' mistakes, in a real child process: one clear <c>error:</c> line and exit code 2, before any model call.</summary>
public sealed class ResearchAgentFrameworkBadInputTests : TempFolderTests
{
    public ResearchAgentFrameworkBadInputTests()
        : base("ra-fw-bad-") => Directory.CreateDirectory(Path.Combine(Dir, "docs"));

    private Task<ChildProcess.Result> RunAsync(params string[] extra) =>
        ChildProcess.RunAsync(Dll, ["What?", "--endpoint", "http://127.0.0.1:9/v1", "--model-id", "m", "--index", Path.Combine(Dir, "docs"), "--browser", "http", .. extra], Dir);

    [Theory]
    [InlineData("not json {", "is not a saved session (not JSON:")]
    [InlineData("""{"format": "something else", "session": {}}""", "is not a saved session of the research agent")]
    [InlineData("""{"format": "agents.research-agent.session/1", "strategy": "bats", "session": {}}""", "holds a session of --strategy bats; a session resumes only in the same agent. Run with --strategy bats")]
    public async Task A_bad_session_file_is_a_clear_error_with_exit_code_2(string content, string expected)
    {
        string file = Path.Combine(Dir, "session.json");
        await File.WriteAllTextAsync(file, content);

        var run = await RunAsync("--framework", "--strategy", "react", "--session", file);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith($"error: --session: '{file}' ", run.StdErr, StringComparison.Ordinal);
        Assert.Contains(expected, run.StdErr, StringComparison.Ordinal);
        Assert.Single(run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(content, await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task A_session_path_that_is_a_folder_is_a_clear_error()
    {
        var run = await RunAsync("--framework", "--session", Path.Combine(Dir, "docs"));

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("is a folder; give a file", run.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--mode", "report", "--ask-for-more", "4" }, "--ask-for-more works in QA mode only: report mode's Context Builder and Report Writer spend child budgets")]
    [InlineData(new[] { "--session", "s.json" }, "--session needs --framework")]
    [InlineData(new[] { "--strategy", "bats", "--ask-for-more", "0" }, "--ask-for-more expects a positive whole number, not '0'")]
    [InlineData(new[] { "--framework", "--strategy", "react", "--ask-for-more", "0" }, "--ask-for-more expects a positive whole number, not '0'")]
    [InlineData(new[] { "--framework", "--mode", "report" }, "--framework runs QA mode only")]
    public async Task Framework_options_that_do_not_fit_get_a_clear_message_and_exit_code_2(string[] extra, string expected)
    {
        var run = await RunAsync(extra);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("error: ", run.StdErr, StringComparison.Ordinal);
        Assert.Contains(expected, run.StdErr, StringComparison.Ordinal);
    }
}
