using Agents.Samples.Tests.Eval;
using static Agents.Samples.Tests.EndToEnd.EvalProcess;

namespace Agents.Samples.Tests.EndToEnd;

/// <summary>The Eval sample as a real child process: strategies × budgets on the real planners, scripted model, offline web.</summary>
public sealed class EvalEndToEndTests
{
    private static List<string> Args(Uri endpoint, OfflineWebScenario web, string outDir, params string[] more) =>
    [
        "--dataset", web.DatasetPath, "--out", outDir, "--endpoint", endpoint.ToString(), "--model-id", "scripted",
        "--index", web.PagesFolder, "--browser", "http", "--allow-loopback", "--price", "input=1.0,output=2.0", .. more,
    ];

    private static List<JsonElement> Rows(string outDir) =>
        File.ReadAllLines(Path.Combine(outDir, "results.jsonl")).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    [Fact]
    public async Task Runs_the_grid_and_writes_results_report_and_plots()
    {
        await using var web = await OfflineWebScenario.StartAsync(questions: 3);
        await using var model = await FakeOpenAIServer.StartAsync(Key, new ScriptedResearcher(web.Corpus).Reply);
        string outDir = Path.Combine(web.WorkFolder, "eval");

        var run = await ChildProcess.RunAsync(Dll, Args(model.Endpoint, web, outDir, "--strategies", "react,react+budget,bats,self-consistency", "--budgets", "2,6", "--parallel", "2"), web.WorkFolder, Env, TimeSpan.FromMinutes(3));

        Assert.True(run.ExitCode == 0, run.ToString());
        var rows = Rows(outDir);
        Assert.Equal(3 * 4 * 2, rows.Count);
        Assert.Equal(24, rows.Select(r => (r.GetProperty("strategy").GetString(), r.GetProperty("budget").GetInt32(), r.GetProperty("id").GetString())).Distinct().Count());

        // Budget 6 per tool reaches every target (2-3 hops need 3-4 pages); budget 2 cannot.
        Assert.All(rows.Where(r => r.GetProperty("budget").GetInt32() == 6), r => Assert.True(r.GetProperty("correct").GetBoolean(), r.ToString()));
        Assert.All(rows.Where(r => r.GetProperty("budget").GetInt32() == 2), r => Assert.False(r.GetProperty("correct").GetBoolean(), r.ToString()));
        Assert.All(rows, r => Assert.True(r.GetProperty("cost_usd").GetDecimal() > 0));
        Assert.All(rows.Where(r => r.GetProperty("budget").GetInt32() == 2), r => Assert.InRange(r.GetProperty("tool_units").GetInt64(), 1, 4));

        // Self-consistency samples the tracked ReAct agent several times on the same budget: it spends more.
        decimal MeanCost(string strategy) => rows.Where(r => r.GetProperty("strategy").GetString() == strategy && r.GetProperty("budget").GetInt32() == 6).Average(r => r.GetProperty("cost_usd").GetDecimal());
        Assert.True(MeanCost("self-consistency") > MeanCost("react+budget"), $"{MeanCost("self-consistency")} vs {MeanCost("react+budget")}");

        string report = await File.ReadAllTextAsync(Path.Combine(outDir, "report.md"));
        Assert.Contains("| Strategy | Budget | Runs | Accuracy | Mean cost (USD) | Mean tool units | Mean tokens in / out | Cost-of-pass (USD) |", report, StringComparison.Ordinal);
        Assert.Contains("| bats | 6 | 3 | 100.0% (3) |", report, StringComparison.Ordinal);
        Assert.Contains("| react | 2 | 3 | 0.0% (0) |", report, StringComparison.Ordinal);
        Assert.Contains("| ∞ |", report, StringComparison.Ordinal);
        Assert.Contains("Pareto frontier (accuracy vs mean cost, cheapest first): ", report, StringComparison.Ordinal);
        Assert.Contains("![Accuracy vs cost](accuracy-vs-cost.png)", report, StringComparison.Ordinal);
        Assert.Contains("| react+budget | 6 | 3 | 100.0% (3) |", run.StdOut, StringComparison.Ordinal);
        EvalPlotsTests.AssertPng(Path.Combine(outDir, "accuracy-vs-budget.png"), 900, 560);
        EvalPlotsTests.AssertPng(Path.Combine(outDir, "accuracy-vs-cost.png"), 900, 560);
        Assert.True(web.Host.PageRequests > 0);
    }

    [Fact]
    public async Task A_rerun_resumes_and_a_dead_endpoint_or_bad_key_stops_with_a_clear_message_losing_nothing()
    {
        await using var web = await OfflineWebScenario.StartAsync(questions: 3);
        await using var model = await FakeOpenAIServer.StartAsync(Key, new ScriptedResearcher(web.Corpus).Reply);
        string outDir = Path.Combine(web.WorkFolder, "eval");
        string[] grid = ["--strategies", "react+budget", "--budgets", "6"];

        var first = await ChildProcess.RunAsync(Dll, Args(model.Endpoint, web, outDir, [.. grid, "--limit", "1"]), web.WorkFolder, Env);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Single(Rows(outDir));
        string firstRow = File.ReadAllLines(Path.Combine(outDir, "results.jsonl"))[0];

        // Wrong key: stops at once, the finished row stays.
        var badKey = await ChildProcess.RunAsync(Dll, Args(model.Endpoint, web, outDir, grid), web.WorkFolder, new Dictionary<string, string?> { ["OPENAI_API_KEY"] = "wrong" });
        Assert.True(badKey.ExitCode == 3, badKey.ToString());
        Assert.Contains("rejected the API key (HTTP 401)", badKey.StdErr, StringComparison.Ordinal);
        Assert.Contains("1 finished runs are kept", badKey.StdErr, StringComparison.Ordinal);

        // Unreachable endpoint: the same.
        Uri dead;
        await using (var gone = await FakeOpenAIServer.StartAsync(Key, _ => FakeReply.Say("x")))
        {
            dead = gone.Endpoint;
        }

        var unreachable = await ChildProcess.RunAsync(Dll, Args(dead, web, outDir, grid), web.WorkFolder, Env);
        Assert.True(unreachable.ExitCode == 3, unreachable.ToString());
        Assert.Contains("Could not reach the model endpoint", unreachable.StdErr, StringComparison.Ordinal);
        Assert.Equal(firstRow, Assert.Single(File.ReadAllLines(Path.Combine(outDir, "results.jsonl")), l => l.Length > 0));

        // A rerun with the model back runs only the two missing questions.
        var resumed = await ChildProcess.RunAsync(Dll, Args(model.Endpoint, web, outDir, grid), web.WorkFolder, Env);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("Done: 2 run now, 1 already in", resumed.StdOut, StringComparison.Ordinal);
        Assert.Equal(3, Rows(outDir).Count);
        Assert.Equal(firstRow, File.ReadAllLines(Path.Combine(outDir, "results.jsonl"))[0]);
    }

    [Fact]
    public async Task Ctrl_c_stops_the_grid_keeps_every_finished_row_and_a_rerun_completes_it()
    {
        await using var web = await OfflineWebScenario.StartAsync(questions: 4);
        var researcher = new ScriptedResearcher(web.Corpus);
        var release = new TaskCompletionSource();
        int interrupted = 0;
        await using var model = await FakeOpenAIServer.StartAsync(Key, r =>
        {
            // Once the first row is out, hold every model call until Ctrl+C has been sent: runs are in flight when it comes.
            if (Volatile.Read(ref interrupted) == 1)
            {
                release.Task.Wait(TimeSpan.FromSeconds(30));
            }

            return researcher.Reply(r);
        });
        string outDir = Path.Combine(web.WorkFolder, "eval");
        var args = Args(model.Endpoint, web, outDir, "--strategies", "react,react+budget", "--budgets", "6", "--parallel", "2");

        var stopped = await ChildProcess.RunAsync(Dll, args, web.WorkFolder, Env, TimeSpan.FromMinutes(2), (line, process) =>
        {
            if (line.StartsWith("[1] ", StringComparison.Ordinal) && Interlocked.Exchange(ref interrupted, 1) == 0)
            {
                ChildProcess.Interrupt(process);
                _ = Task.Delay(1000).ContinueWith(_ => release.TrySetResult(), TaskScheduler.Default);
            }
        });
        Interlocked.Exchange(ref interrupted, 2);
        release.TrySetResult();

        Assert.True(stopped.ExitCode == 130, stopped.ToString());
        Assert.Contains("Stopped by Ctrl+C.", stopped.StdOut, StringComparison.Ordinal);
        int kept = Rows(outDir).Count;
        Assert.InRange(kept, 1, 2);
        Assert.Contains($"{kept} finished runs are in", stopped.StdOut, StringComparison.Ordinal);

        var resumed = await ChildProcess.RunAsync(Dll, args, web.WorkFolder, Env, TimeSpan.FromMinutes(2));
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains($"Done: {8 - kept} run now, {kept} already in", resumed.StdOut, StringComparison.Ordinal);
        Assert.Equal(8, Rows(outDir).Count);
    }

    [Fact]
    public async Task Malformed_dataset_lines_are_reported_by_number_the_rest_runs_and_the_exit_code_says_so()
    {
        await using var web = await OfflineWebScenario.StartAsync(questions: 2);
        await using var model = await FakeOpenAIServer.StartAsync(Key, new ScriptedResearcher(web.Corpus).Reply);
        var lines = (await File.ReadAllLinesAsync(web.DatasetPath)).ToList();
        lines.Insert(1, "{\"id\": \"broken\", \"question\": ");
        lines.Add("{\"id\": \"no-answer\", \"question\": \"What?\"}");
        string dataset = Path.Combine(web.Root, "with-bad-lines.jsonl");
        await File.WriteAllLinesAsync(dataset, lines);
        string outDir = Path.Combine(web.WorkFolder, "eval");
        var args = Args(model.Endpoint, web, outDir, "--strategies", "react", "--budgets", "6");
        args[1] = dataset;

        var run = await ChildProcess.RunAsync(Dll, args, web.WorkFolder, Env);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"{dataset}:2: invalid JSON", run.StdErr, StringComparison.Ordinal);
        Assert.Contains($"{dataset}:4: missing or empty field(s): answer", run.StdErr, StringComparison.Ordinal);
        Assert.Equal(2, Rows(outDir).Count);
        Assert.True(File.Exists(Path.Combine(outDir, "report.md")));
    }

    [Fact]
    public async Task A_browsecomp_plus_style_corpus_becomes_the_index_and_dataset_and_its_documents_are_browsed_from_disk()
    {
        string dir = Directory.CreateTempSubdirectory("eval-bcp-").FullName;
        try
        {
            string docs = Path.Combine(dir, "docs.jsonl");
            await File.WriteAllLinesAsync(docs,
            [
                """{"docid":"d1","title":"Zorland","text":"Zorland is a small inland country. Its capital city is Velmaris, on the river Quen.","url":"https://example.org/zorland"}""",
                """{"docid":"d2","title":"Velmaris glass museum","text":"The glass museum of Velmaris was founded in 1911 by the glassmakers' guild."}""",
                """{"docid":"d3","title":"Mountains","text":"Unrelated text about mountains and snow."}""",
            ]);
            string queries = Path.Combine(dir, "queries.jsonl");
            await File.WriteAllLinesAsync(queries,
            [
                """{"query_id":"1","query":"What is the capital of Zorland?"}""",
                """{"query_id":"2","query":"In which year was the glass museum of Velmaris founded?"}""",
                """{"query_id":"3","query": """,
            ]);
            string answers = Path.Combine(dir, "answers.jsonl");
            await File.WriteAllLinesAsync(answers, ["""{"query_id":"1","answer":"Velmaris"}""", """{"query_id":"2","answer":"1911"}"""]);
            var known = new Dictionary<string, string> { ["What is the capital of Zorland?"] = "Velmaris", ["In which year was the glass museum of Velmaris founded?"] = "1911" };

            await using var model = await FakeOpenAIServer.StartAsync(Key, r =>
            {
                string question = known.Keys.First(k => r.AllText.Contains(k, StringComparison.Ordinal));
                string tools = string.Join("\n", r.ToolResults.Select(t => t.Content));
                if (tools.Contains("<web_page", StringComparison.Ordinal))
                {
                    return FakeReply.Say(tools.Contains(known[question], StringComparison.Ordinal) ? $"<answer>{known[question]}</answer>" : "<answer>None</answer>");
                }

                var urls = System.Text.RegularExpressions.Regex.Matches(tools, @"http://local-documents\.invalid/[^\s""<>)]+").Select(m => m.Value).Distinct().Take(2).ToArray();
                return urls.Length > 0
                    ? FakeReply.Call("browser_browse", JsonSerializer.Serialize(new { urls, goal = question }))
                    : FakeReply.Call("web_search", JsonSerializer.Serialize(new { queries = new[] { question } }));
            });
            string outDir = Path.Combine(dir, "out");

            var run = await ChildProcess.RunAsync(Dll,
            [
                "--corpus-documents", docs, "--corpus-queries", queries, "--corpus-answers", answers, "--out", outDir,
                "--endpoint", model.Endpoint.ToString(), "--model-id", "scripted", "--browser", "http", "--strategies", "react+budget", "--budgets", "4",
            ], dir, Env);

            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Contains($"{queries}:3: invalid JSON", run.StdErr, StringComparison.Ordinal);
            Assert.Contains("Corpus: 3 documents", run.StdOut, StringComparison.Ordinal);
            Assert.Equal(3, Directory.GetFiles(Path.Combine(outDir, "corpus", "documents"), "*.md").Length);
            Assert.Contains("| react+budget | 4 | 2 | 100.0% (2) |", run.StdOut, StringComparison.Ordinal);
            Assert.All(Rows(outDir), r => Assert.True(r.GetProperty("correct").GetBoolean(), r.ToString()));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_missing_dataset_or_bad_options_are_explained_without_a_model()
    {
        string dir = Directory.CreateTempSubdirectory("eval-bad-").FullName;
        try
        {
            async Task RefusedAsync(string[] arguments, string message)
            {
                var run = await ChildProcess.RunAsync(Dll, arguments, dir);
                Assert.Equal(2, run.ExitCode);
                Assert.Contains(message, run.StdErr, StringComparison.Ordinal);
            }

            await RefusedAsync(["--dataset", Path.Combine(dir, "nope.jsonl"), "--endpoint", "http://127.0.0.1:9/v1", "--model-id", "m"], "nope.jsonl' does not exist");
            await RefusedAsync(["--endpoint", "http://127.0.0.1:9/v1", "--model-id", "m"], "--dataset FILE");
            await RefusedAsync(["--dataset", "x.jsonl", "--budgets", "5,ten"], "--budgets: 'ten' is not a positive whole number");
            await RefusedAsync(["--dataset", "x.jsonl", "--strategies", "react,bast"], "Did you mean 'bats'?");
            await RefusedAsync(["--dataset", "x.jsonl", "--limit", "0"], "--limit expects a positive whole number, not '0'");
            await RefusedAsync(["--offline-web", "--seed", "x1"], "--seed expects a whole number, not 'x1'");
            await RefusedAsync(["--dataset", "x.jsonl", "--offline-web"], "only one of --dataset, --offline-web and --corpus-documents");
            await RefusedAsync(["--corpus-documents", "docs.jsonl"], "needs both --corpus-documents FILE and --corpus-queries FILE");
            await RefusedAsync(["--report-only", "--out", Path.Combine(dir, "empty")], "nothing to report");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Offline_web_mode_generates_serves_indexes_and_evaluates_then_report_only_rebuilds_without_a_model()
    {
        // The child generates the same web as this (seed 5, 3 questions), so the scripted model knows its questions.
        var corpus = new Agents.Samples.OfflineWeb.Generation.OfflineWebGenerator(new Agents.Samples.OfflineWeb.Generation.OfflineWebOptions { Seed = 5, Questions = 3 }).Generate();
        await using var model = await FakeOpenAIServer.StartAsync(Key, new ScriptedResearcher(corpus).Reply);
        string dir = Directory.CreateTempSubdirectory("eval-offline-").FullName;
        try
        {
            string outDir = Path.Combine(dir, "out");
            var run = await ChildProcess.RunAsync(Dll, ["--offline-web", "--seed", "5", "--questions", "3", "--out", outDir, "--endpoint", model.Endpoint.ToString(), "--model-id", "scripted", "--browser", "http", "--strategies", "bats", "--budgets", "8"], dir, Env, TimeSpan.FromMinutes(2));
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("Offline web: http://127.0.0.1:", run.StdOut, StringComparison.Ordinal);
            Assert.Contains("| bats | 8 | 3 | 100.0% (3) |", run.StdOut, StringComparison.Ordinal);
            Assert.Equal(corpus.Pages.Count, Directory.GetFiles(Path.Combine(outDir, "offline-web", "pages")).Length);

            File.Delete(Path.Combine(outDir, "report.md"));
            File.Delete(Path.Combine(outDir, "accuracy-vs-cost.png"));
            var rebuilt = await ChildProcess.RunAsync(Dll, ["--report-only", "--out", outDir], dir);
            Assert.True(rebuilt.ExitCode == 0, rebuilt.ToString());
            string report = await File.ReadAllTextAsync(Path.Combine(outDir, "report.md"));
            Assert.Contains("| bats | 8 | 3 | 100.0% (3) |", report, StringComparison.Ordinal);
            Assert.StartsWith("# Evaluation: offline web (seed 5, 3 questions)\n", report, StringComparison.Ordinal);
            EvalPlotsTests.AssertPng(Path.Combine(outDir, "accuracy-vs-cost.png"), 900, 560);
            Assert.Contains("Accuracy vs cost: offline web (seed 5, 3 questions)", await File.ReadAllTextAsync(Path.Combine(outDir, "accuracy-vs-cost.svg")), StringComparison.Ordinal);
            string html = await File.ReadAllTextAsync(Path.Combine(outDir, "report.html"));
            Assert.Contains("<h1>Evaluation: offline web (seed 5, 3 questions)</h1>", html, StringComparison.Ordinal);
            Assert.Contains("<img src=\"accuracy-vs-budget.svg\"", html, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
