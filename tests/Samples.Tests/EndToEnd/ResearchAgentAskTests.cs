using static Agents.Samples.Tests.EndToEnd.ResearchAgentProcess;

namespace Agents.Samples.Tests.EndToEnd;

/// <summary>
/// <c>--ask-for-more</c> with the planners, as a real child process (the scripted model behind a fake OpenAI endpoint,
/// the offline web on 127.0.0.1): the run's tracker asks the console through the budget's approver seam while the
/// refused call waits, and prints a receipt for the answer.
/// </summary>
public sealed class ResearchAgentAskTests
{
    /// <summary>
    /// Runs the strategy with one browse unit fewer than the question needs (so the last page's browse is the refused
    /// call), asking for 2 more, with <paramref name="stdin"/> as the console's input.
    /// </summary>
    private static Task<ChildProcess.Result> AskAsync(FakeOpenAIServer model, OfflineWebScenario web, int hops, string stdin, params string[] more) =>
        ChildProcess.RunAsync(
            Dll,
            [
                web.Corpus.Questions[0].Question, "--endpoint", model.Endpoint.ToString(), "--model-id", "scripted", "--index", web.PagesFolder,
                "--allow-loopback", "--plain", "--browser", "http", "--budget", $"search=5,browse={hops}", "--ask-for-more", "2", .. more,
            ],
            web.WorkFolder,
            Env,
            TimeSpan.FromMinutes(2),
            onLine: null,
            stdin: stdin);

    [Theory]
    [InlineData("bats", false)]
    [InlineData("react+budget", false)]
    [InlineData("bats", true)]
    public async Task Yes_grants_the_offered_units_and_the_waiting_browse_runs_after_the_answer(string strategy, bool framework)
    {
        await using var web = await OfflineWebScenario.StartAsync();
        await using var model = await FakeOpenAIServer.StartAsync(Key, new ScriptedResearcher(web.Corpus).Reply);
        var q = web.Corpus.Questions[0];

        var run = await AskAsync(model, web, q.Hops, "y\n", ["--strategy", strategy, .. framework ? new[] { "--framework" } : []]);

        Assert.True(run.ExitCode == 0, run.ToString());
        string[] lines = run.StdOut.Split('\n');
        int asked = Array.FindIndex(lines, l => l == "The browse budget is spent; continue with 2 more? [y/N] y");
        Assert.True(asked > 0, run.ToString());
        Assert.DoesNotContain(lines.Take(asked), l => l.Contains("/wiki/" + q.EntityPath[^1], StringComparison.Ordinal));
        int granted = Array.FindIndex(lines, asked, l => l == $"receipt: extended browse 2 unit(s): The user granted 2 more unit(s); the limit is now {q.Hops + 2}.");
        Assert.True(granted > asked, run.ToString());
        Assert.Contains(lines.Skip(asked), l => l.StartsWith("tool: browser_browse(", StringComparison.Ordinal) && l.Contains("/wiki/" + q.EntityPath[^1], StringComparison.Ordinal) && !l.EndsWith(" refused", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("[y/N]", StringComparison.Ordinal));
        Assert.Contains($"Answer: {q.Answer}\n", run.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"Cost: \$0\.\d{4} \(search 1/5, browse " + (q.Hops + 1) + "/" + (q.Hops + 2), run.StdOut);
        Assert.Equal(q.Hops + 1, web.Host.PageRequests);
    }

    [Theory]
    [InlineData("bats", "n\n", "n")]
    [InlineData("bats", "", "")]
    [InlineData("react+budget", "n\n", "n")]
    public async Task No_or_end_of_input_declines_and_the_run_answers_without_another_browse(string strategy, string stdin, string echoed)
    {
        await using var web = await OfflineWebScenario.StartAsync();
        await using var model = await FakeOpenAIServer.StartAsync(Key, new ScriptedResearcher(web.Corpus).Reply);
        var q = web.Corpus.Questions[0];

        var run = await AskAsync(model, web, q.Hops, stdin, "--strategy", strategy);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("The browse budget is spent; continue with 2 more? [y/N] " + echoed + "\n", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("receipt: declined browse 2 unit(s): The user said no at the console.\n", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("No answer:", run.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain($"Answer: {q.Answer}", run.StdOut, StringComparison.Ordinal);
        Assert.Contains($"browse {q.Hops}/{q.Hops}", run.StdOut, StringComparison.Ordinal);
        Assert.Equal(q.Hops, web.Host.PageRequests);
    }
}
