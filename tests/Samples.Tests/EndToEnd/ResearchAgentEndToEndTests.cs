using static Agents.Samples.Tests.EndToEnd.ResearchAgentProcess;

namespace Agents.Samples.Tests.EndToEnd;

/// <summary>The ResearchAgent sample as a real child process, with the scripted model behind a fake OpenAI endpoint, over the offline web.</summary>
public sealed class ResearchAgentEndToEndTests
{
    private static List<string> Args(FakeOpenAIServer model, OfflineWebScenario web, string question, params string[] more) =>
    [
        question, "--endpoint", model.Endpoint.ToString(), "--model-id", "scripted", "--index", web.PagesFolder,
        "--allow-loopback", "--plain", .. more, .. (more.Contains("--browser") ? Array.Empty<string>() : ["--browser", "http"]),
    ];

    [Theory]
    [InlineData("react+budget", "http")]
    [InlineData("bats", "http")]
    [InlineData("react+budget", "chromium")]
    public async Task Answers_a_multi_hop_question_through_the_local_index_and_the_live_offline_web(string strategy, string browser)
    {
        await using var web = await OfflineWebScenario.StartAsync();
        var researcher = new ScriptedResearcher(web.Corpus);
        await using var model = await FakeOpenAIServer.StartAsync(Key, researcher.Reply);
        var q = web.Corpus.Questions[0];

        var run = await ChildProcess.RunAsync(Dll, Args(model, web, q.Question, "--strategy", strategy, "--browser", browser, "--budget", "search=5,browse=8", "--workspace", Path.Combine(web.WorkFolder, "qa")), web.WorkFolder, Env, TimeSpan.FromMinutes(2));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"Answer: {q.Answer}", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("Status: answered", run.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"Cost: \$0\.\d{4} \(search 1/5, browse " + (q.Hops + 1) + "/8", run.StdOut);
        Assert.Contains("tool: ", run.StdOut, StringComparison.Ordinal);

        // The pages were really read from Kestrel (canonical links in the indexed files point at the live site).
        Assert.True(web.Host.PageRequests >= q.Hops + 1, $"only {web.Host.PageRequests} page requests");
        Assert.Contains(model.Requests, r => r.ToolNames.SequenceEqual(["web_search", "browser_browse", "browser_find_in_page"]));
        using var answer = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(web.WorkFolder, "qa", "answer.json")));
        Assert.Equal(q.Answer, answer.RootElement.GetProperty("answer").GetString());
    }

    [Fact]
    public async Task The_offline_webs_searxng_shaped_endpoint_works_as_the_search_provider()
    {
        await using var web = await OfflineWebScenario.StartAsync();
        await using var model = await FakeOpenAIServer.StartAsync(Key, new ScriptedResearcher(web.Corpus).Reply);
        var q = web.Corpus.Questions[1];
        List<string> args =
        [
            q.Question, "--endpoint", model.Endpoint.ToString(), "--model-id", "scripted", "--search", "searxng", "--browser", "http",
            "--allow-loopback", "--plain", "--strategy", "react+budget",
        ];

        var run = await ChildProcess.RunAsync(Dll, args, web.WorkFolder, new Dictionary<string, string?> { ["OPENAI_API_KEY"] = Key, ["SEARXNG_URL"] = web.Host.BaseAddress.ToString() });

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"Answer: {q.Answer}", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("search: searxng", run.StdOut, StringComparison.Ordinal);
        Assert.Equal(1, web.Host.SearchRequests);
    }

    [Fact]
    public async Task Too_small_a_budget_stops_the_search_and_the_agent_says_it_has_no_answer()
    {
        await using var web = await OfflineWebScenario.StartAsync();
        await using var model = await FakeOpenAIServer.StartAsync(Key, new ScriptedResearcher(web.Corpus).Reply);
        var q = web.Corpus.Questions[0];

        var run = await ChildProcess.RunAsync(Dll, Args(model, web, q.Question, "--strategy", "react+budget", "--budget", "search=2,browse=1"), web.WorkFolder, Env);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("browse 1/1", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("No answer: the agent found none (A budget limit was reached: browse budget exhausted", run.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain($"Answer: {q.Answer}", run.StdOut, StringComparison.Ordinal);
        Assert.Equal(1, web.Host.PageRequests);
    }

    [Fact]
    public async Task Report_mode_writes_a_cited_report_into_the_workspace_and_a_rerun_resumes_without_spending()
    {
        await using var web = await OfflineWebScenario.StartAsync();
        string workspace = Path.Combine(web.WorkFolder, "report");
        var subject = web.Corpus.Entities.First(e => e.Kind == Agents.Samples.OfflineWeb.World.EntityKind.City);
        await using var model = await FakeOpenAIServer.StartAsync(Key, new ScriptedResearcher(web.Corpus, workspace).Reply);
        string topic = $"Write a short report about {subject.Name}";

        var run = await ChildProcess.RunAsync(Dll, Args(model, web, topic, "--mode", "report", "--workspace", workspace), web.WorkFolder, Env);

        Assert.True(run.ExitCode == 0, run.ToString());
        string reportPath = Path.Combine(workspace, "report.md");
        Assert.Contains("Report: " + reportPath, run.StdOut, StringComparison.Ordinal);
        Assert.Contains("Citations: all resolve to archived sources.", run.StdOut, StringComparison.Ordinal);
        string report = await File.ReadAllTextAsync(reportPath);
        Assert.Contains("## Facts", report, StringComparison.Ordinal);
        Assert.Contains(subject.Attributes.Values.First(), report, StringComparison.Ordinal);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(workspace, "knowledge_base", "sources"), "*.md"));
        Assert.Contains("[ALL COMPLETE]", await File.ReadAllTextAsync(Path.Combine(workspace, "kb_log.md")), StringComparison.Ordinal);

        int requests = model.Requests.Count;
        var again = await ChildProcess.RunAsync(Dll, Args(model, web, topic, "--mode", "report", "--workspace", workspace), web.WorkFolder, Env);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(requests, model.Requests.Count);
        Assert.Contains("AlreadyComplete", again.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctrl_c_in_qa_mode_stops_cleanly_and_reports_the_spend()
    {
        await using var web = await OfflineWebScenario.StartAsync();
        var researcher = new ScriptedResearcher(web.Corpus);
        var release = new TaskCompletionSource();
        await using var model = await FakeOpenAIServer.StartAsync(Key, r =>
        {
            if (r.ToolResults.Count > 0)
            {
                release.Task.Wait(TimeSpan.FromSeconds(30));
            }

            return researcher.Reply(r);
        });
        int sent = 0;
        var run = await ChildProcess.RunAsync(Dll, Args(model, web, web.Corpus.Questions[0].Question, "--strategy", "react+budget"), web.WorkFolder, Env, TimeSpan.FromMinutes(2), (line, process) =>
        {
            if (line.StartsWith("tool: web_search(", StringComparison.Ordinal) && Interlocked.Exchange(ref sent, 1) == 0)
            {
                ChildProcess.Interrupt(process);
                _ = Task.Delay(1000).ContinueWith(_ => release.TrySetResult(), TaskScheduler.Default);
            }
        });
        release.TrySetResult();

        Assert.True(run.ExitCode == 130, run.ToString());
        Assert.Contains("Stopped by Ctrl+C before an answer.", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("Cost: $0.0010 (search 1/20", run.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctrl_c_stops_cleanly_keeps_the_workspace_and_a_rerun_finishes_it()
    {
        await using var web = await OfflineWebScenario.StartAsync();
        string workspace = Path.Combine(web.WorkFolder, "interrupted");
        var subject = web.Corpus.Entities.First(e => e.Kind == Agents.Samples.OfflineWeb.World.EntityKind.Company);
        var researcher = new ScriptedResearcher(web.Corpus, workspace);
        var browsed = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        await using var model = await FakeOpenAIServer.StartAsync(Key, r =>
        {
            // Hold the model call that follows the first browse until the test has pressed Ctrl+C.
            if (r.ToolResults.Any(t => t.Content.Contains("<web_page", StringComparison.Ordinal)) && !release.Task.IsCompleted)
            {
                browsed.TrySetResult();
                release.Task.Wait(TimeSpan.FromSeconds(30));
            }

            return researcher.Reply(r);
        });
        string topic = $"Write a short report about {subject.Name}";
        var args = Args(model, web, topic, "--mode", "report", "--workspace", workspace);

        var interrupted = ChildProcess.RunAsync(Dll, args, web.WorkFolder, Env, TimeSpan.FromSeconds(120), onLine: (line, process) =>
        {
            if (line.StartsWith("tool: browser_browse", StringComparison.Ordinal))
            {
                _ = Task.Run(async () =>
                {
                    await browsed.Task.WaitAsync(TimeSpan.FromSeconds(30));
                    ChildProcess.Interrupt(process);
                    await Task.Delay(500);
                    release.TrySetResult();
                });
            }
        });
        var stopped = await interrupted;

        Assert.True(stopped.ExitCode == 130, stopped.ToString());
        Assert.Contains("Stopped by Ctrl+C", stopped.StdOut, StringComparison.Ordinal);
        Assert.Contains("run the same command again to resume", stopped.StdOut, StringComparison.Ordinal);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(workspace, "knowledge_base", "sources"), "*.md"));
        Assert.False(File.Exists(Path.Combine(workspace, "report.md")));

        var resumed = await ChildProcess.RunAsync(Dll, args, web.WorkFolder, Env);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.True(File.Exists(Path.Combine(workspace, "report.md")));
        Assert.Contains("Citations: all resolve", resumed.StdOut, StringComparison.Ordinal);
    }
}
