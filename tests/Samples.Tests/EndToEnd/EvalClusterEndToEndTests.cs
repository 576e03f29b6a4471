using System.Globalization;
using Agents.Budget.Orleans.Tests.Redis;
using static Agents.Samples.Tests.EndToEnd.EvalProcess;

namespace Agents.Samples.Tests.EndToEnd;

/// <summary>The Eval grid across two worker processes of one cluster over a real redis-server on loopback.</summary>
public sealed class EvalClusterEndToEndTests : IClassFixture<RedisServer>
{
    private readonly RedisServer _redis;

    public EvalClusterEndToEndTests(RedisServer redis) => _redis = redis;

    private static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static List<string> Lines(string outDir) =>
        File.ReadAllLines(Path.Combine(outDir, "results.jsonl")).Where(l => l.Length > 0 && l.EndsWith('}')).ToList();

    [Fact]
    public async Task A_worker_killed_mid_run_leaves_the_grid_to_the_other_which_journals_every_cell_once_and_reports()
    {
        await using var web = await OfflineWebScenario.StartAsync(questions: 3);
        var researcher = new ScriptedResearcher(web.Corpus);
        var bothJoined = new TaskCompletionSource();
        await using var model = await FakeOpenAIServer.StartAsync(Key, r =>
        {
            // Hold every model call until both workers are in the cluster, so both take cells.
            bothJoined.Task.Wait(TimeSpan.FromSeconds(90));
            return researcher.Reply(r);
        });
        string clusterId = "eval-" + Guid.NewGuid().ToString("N");
        List<string> Args(string outDir) =>
        [
            "--dataset", web.DatasetPath, "--out", outDir, "--endpoint", model.Endpoint.ToString(), "--model-id", "scripted",
            "--index", web.PagesFolder, "--browser", "http", "--allow-loopback", "--price", "input=1.0,output=2.0",
            "--strategies", "react,react+budget", "--budgets", "2,6", "--parallel", "1",
            "--cluster", "redis://" + _redis.ConnectionString, "--cluster-id", clusterId, "--advertise", "127.0.0.1",
            "--silo-port", Text(LocalPorts.Free()), "--gateway-port", Text(LocalPorts.Free()), "--cell-lease", "3",
        ];
        string outA = Path.Combine(web.WorkFolder, "worker-a");
        string outB = Path.Combine(web.WorkFolder, "worker-b");
        int joined = 0;
        void Joined(string line)
        {
            if (line.StartsWith("Cluster: worker ", StringComparison.Ordinal) && Interlocked.Increment(ref joined) == 2)
            {
                bothJoined.TrySetResult();
            }
        }

        int killed = 0;
        var workerA = ChildProcess.RunAsync(Dll, Args(outA), web.WorkFolder, Env, TimeSpan.FromMinutes(4), (line, process) =>
        {
            Joined(line);

            // SIGKILL as soon as worker A has recorded a cell: it is claiming or running its next one.
            if (line.StartsWith("[1] ", StringComparison.Ordinal) && Interlocked.Exchange(ref killed, 1) == 0)
            {
                process.Kill();
            }
        });
        var workerB = ChildProcess.RunAsync(Dll, Args(outB), web.WorkFolder, Env, TimeSpan.FromMinutes(4), (line, _) => Joined(line));

        var a = await workerA;
        bothJoined.TrySetResult();
        var b = await workerB;

        Assert.True(killed == 1, a.ToString());
        Assert.NotEqual(0, a.ExitCode);
        Assert.True(b.ExitCode == 0, b.ToString() + "\n=== worker A ===\n" + a);

        // Every cell has exactly one row in the surviving worker's journal.
        var rowsB = Lines(outB);
        var cells = rowsB.Select(l => JsonDocument.Parse(l).RootElement)
            .Select(r => (r.GetProperty("strategy").GetString(), r.GetProperty("budget").GetInt32(), r.GetProperty("id").GetString())).ToList();
        Assert.Equal(3 * 2 * 2, cells.Count);
        Assert.Equal(cells.Count, cells.Distinct().Count());

        // What the killed worker recorded was not run again: its rows are in B's journal as they are.
        var rowsA = Lines(outA);
        Assert.NotEmpty(rowsA);
        Assert.All(rowsA, row => Assert.Contains(row, rowsB));
        Assert.Contains("Done: the grid's 12 cells are finished;", b.StdOut, StringComparison.Ordinal);

        string report = await File.ReadAllTextAsync(Path.Combine(outB, "report.md"));
        Assert.Contains("| react+budget | 6 | 3 | 100.0% (3) |", report, StringComparison.Ordinal);
        Assert.Contains("| react | 2 | 3 | 0.0% (0) |", report, StringComparison.Ordinal);
    }
}
