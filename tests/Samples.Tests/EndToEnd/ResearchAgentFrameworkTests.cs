using static Agents.Samples.Tests.EndToEnd.ResearchAgentProcess;

namespace Agents.Samples.Tests.EndToEnd;

/// <summary>
/// The ResearchAgent's <c>--framework</c> mode as a real child process (the scripted model behind a fake OpenAI endpoint,
/// the offline web on 127.0.0.1): the strategy runs as a Microsoft Agent Framework AIAgent, pauses to ask for more
/// budget on the console, and keeps its session in a file that a second process resumes.
/// </summary>
public sealed class ResearchAgentFrameworkTests
{
    private static List<string> Args(FakeOpenAIServer model, OfflineWebScenario web, string question, params string[] more) =>
    [
        question, "--endpoint", model.Endpoint.ToString(), "--model-id", "scripted", "--index", web.PagesFolder,
        "--allow-loopback", "--plain", "--browser", "http", "--framework", .. more,
    ];

    /// <summary>Runs ReAct + budget with one browse unit, asking for 4 more when it is spent, with <paramref name="stdin"/> as the console's input.</summary>
    private static Task<ChildProcess.Result> AskAsync(FakeOpenAIServer model, OfflineWebScenario web, string question, string stdin) =>
        ChildProcess.RunAsync(Dll, Args(model, web, question, "--strategy", "react+budget", "--budget", "search=5,browse=1", "--ask-for-more", "4"), web.WorkFolder, Env, TimeSpan.FromMinutes(2), onLine: null, stdin: stdin);

    [Theory]
    [InlineData("bats", "Framework: PlannerAIAgent (bats)")]
    [InlineData("react+budget", "Framework: ChatClientAgent with the budget middleware (react+budget)")]
    public async Task Framework_mode_answers_through_an_AIAgent_with_citations_and_spend(string strategy, string agentLine)
    {
        await using var web = await OfflineWebScenario.StartAsync();
        await using var model = await FakeOpenAIServer.StartAsync(Key, new ScriptedResearcher(web.Corpus).Reply);
        var q = web.Corpus.Questions[0];

        var run = await ChildProcess.RunAsync(Dll, Args(model, web, q.Question, "--strategy", strategy, "--budget", "search=5,browse=8"), web.WorkFolder, Env, TimeSpan.FromMinutes(2));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(agentLine, run.StdOut, StringComparison.Ordinal);
        Assert.Contains($"Answer: {q.Answer}\n", run.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"Citations:\n(  \[\d\] http://127\.0\.0\.1:\d+/wiki/[a-z0-9-]+\n)*  \[\d\] http://127\.0\.0\.1:\d+/wiki/" + q.EntityPath[^1] + "\n", run.StdOut);
        Assert.Contains("Status: answered", run.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"Cost: \$0\.\d{4} \(search 1/5, browse " + (q.Hops + 1) + "/8", run.StdOut);
        Assert.Contains("tool: browser_browse(urls: [", run.StdOut, StringComparison.Ordinal);
        Assert.True(web.Host.PageRequests >= q.Hops + 1, $"only {web.Host.PageRequests} page requests");
    }

    [Fact]
    public async Task Ask_for_more_with_yes_pauses_asks_and_the_refused_browse_runs_after_the_grant()
    {
        await using var web = await OfflineWebScenario.StartAsync();
        await using var model = await FakeOpenAIServer.StartAsync(Key, new ScriptedResearcher(web.Corpus).Reply);
        var q = web.Corpus.Questions[0];

        var run = await AskAsync(model, web, q.Question, "y\n");

        Assert.True(run.ExitCode == 0, run.ToString());
        string[] lines = run.StdOut.Split('\n');
        int asked = Array.FindIndex(lines, l => l == "The browse budget is spent; continue with 4 more? [y/N] y");
        Assert.True(asked > 0, run.ToString());
        Assert.Contains(lines.Take(asked), l => l.StartsWith("tool: browser_browse(", StringComparison.Ordinal) && l.EndsWith(" refused", StringComparison.Ordinal));
        int granted = Array.FindIndex(lines, asked, l => l.StartsWith("receipt: extended browse 4 unit(s): The user granted 4 more unit(s); the limit is now 5.", StringComparison.Ordinal));
        Assert.True(granted > asked, run.ToString());
        Assert.Contains(lines.Skip(granted), l => l.StartsWith("tool: browser_browse(", StringComparison.Ordinal) && !l.EndsWith(" refused", StringComparison.Ordinal));
        Assert.Contains($"Answer: {q.Answer}\n", run.StdOut, StringComparison.Ordinal);
        Assert.Contains($"/wiki/{q.EntityPath[^1]}\n", run.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"Cost: \$0\.\d{4} \(search 1/5, browse " + (q.Hops + 1) + "/5", run.StdOut);
        Assert.True(web.Host.PageRequests >= q.Hops + 1, $"only {web.Host.PageRequests} page requests");
    }

    [Theory]
    [InlineData("n\n", "n")]
    [InlineData("\n", "")]
    [InlineData("", "")]
    public async Task Ask_for_more_answered_no_blank_or_at_end_of_input_answers_without_the_refused_browse(string stdin, string echoed)
    {
        await using var web = await OfflineWebScenario.StartAsync();
        await using var model = await FakeOpenAIServer.StartAsync(Key, new ScriptedResearcher(web.Corpus).Reply);
        var q = web.Corpus.Questions[0];

        var run = await AskAsync(model, web, q.Question, stdin);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("The browse budget is spent; continue with 4 more? [y/N] " + echoed + "\n", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("receipt: declined browse 4 unit(s): The user said no at the console.", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("No answer: the agent found none", run.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain($"Answer: {q.Answer}", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("browse 1/1", run.StdOut, StringComparison.Ordinal);
        Assert.Equal(1, web.Host.PageRequests);
        Assert.Empty(model.Requests[^1].ToolNames);
    }

    [Theory]
    [InlineData("bats")]
    [InlineData("react+budget")]
    public async Task A_session_saved_by_one_process_resumes_in_a_second_with_its_conversation_and_spend(string strategy)
    {
        await using var web = await OfflineWebScenario.StartAsync();
        var researcher = new ScriptedResearcher(web.Corpus);
        await using var model = await FakeOpenAIServer.StartAsync(Key, r => researcher.Reply(LatestQuestionOnly(r, web)));
        var (q0, q1) = (web.Corpus.Questions[0], web.Corpus.Questions[1]);
        string session = Path.Combine(web.WorkFolder, "sessions", "research.json");

        var first = await ChildProcess.RunAsync(Dll, Args(model, web, q1.Question, "--strategy", strategy, "--budget", "search=5,browse=8", "--session", session), web.WorkFolder, Env, TimeSpan.FromMinutes(2));
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("Session: saved to " + session, first.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("Session: resumed", first.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"Cost: \$0\.\d{4} \(search 1/5, browse " + (q1.Hops + 1) + "/8", first.StdOut);

        var second = await ChildProcess.RunAsync(Dll, Args(model, web, q0.Question, "--strategy", strategy, "--budget", "search=5,browse=8", "--session", session), web.WorkFolder, Env, TimeSpan.FromMinutes(2));

        // The second process's fresh tracker starts from the session's spend, and the model sees the earlier question.
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("Session: resumed from " + session, second.StdOut, StringComparison.Ordinal);
        Assert.Contains($"Answer: {q0.Answer}\n", second.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"Cost: \$0\.\d{4} \(search 2/5, browse " + (q0.Hops + q1.Hops + 2) + "/8", second.StdOut);
        Assert.Contains(model.Requests, r => r.AllText.Contains(q1.Question, StringComparison.Ordinal) && r.AllText.Contains(q0.Question, StringComparison.Ordinal));
    }

    /// <summary>
    /// What the scripted researcher reads: the system messages and the conversation from the latest question on (it
    /// plays one question at a time; the test asserts on the whole request separately).
    /// </summary>
    private static FakeChatRequest LatestQuestionOnly(FakeChatRequest request, OfflineWebScenario web)
    {
        var messages = request.Messages.ToList();
        int last = messages.FindLastIndex(m => m.Role == "user" && web.Corpus.Questions.Any(q => m.Content.Contains(q.Question, StringComparison.Ordinal)));
        return last <= 0 ? request : request with { Messages = [.. messages.Take(last).Where(m => m.Role is "system" or "developer"), .. messages.Skip(last)] };
    }
}
