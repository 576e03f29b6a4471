namespace Agents.Samples.Tests.Eval;

public sealed class GridRunnerTests() : TempFolderTests("grid-")
{
    private static readonly EvalItem[] Items =
        Enumerable.Range(1, 6).Select(i => new EvalItem($"q{i}", $"Question {i}?", $"Answer {i}")).ToArray();

    private string ResultsPath => Path.Combine(Dir, "results.jsonl");

    [Fact]
    public async Task Runs_every_cell_grades_answers_and_records_rows()
    {
        var cheap = ScriptedStrategy.Threshold("cheap", needs: 10);
        var strong = ScriptedStrategy.Threshold("strong", needs: 5);
        await using var journal = await ResultsJournal.OpenAsync(ResultsPath);
        var recorded = 0;
        var runner = new GridRunner(new GridRunnerOptions { MaxParallelism = 3 });
        runner.ResultRecorded += (_, _) => Interlocked.Increment(ref recorded);

        var summary = await runner.RunAsync(Items, [cheap, strong], [5, 10], journal);

        Assert.Equal(new GridRunSummary(24, 0, 24), summary);
        Assert.Equal(24, recorded);
        Assert.Equal(24, journal.Results.Count);
        Assert.All(journal.Results.Where(r => r.Strategy == "cheap" && r.Budget == 5), r => Assert.False(r.Correct));
        Assert.All(journal.Results.Where(r => !(r.Strategy == "cheap" && r.Budget == 5)), r => Assert.True(r.Correct));
        var row = journal.Results.Single(r => r.Strategy == "strong" && r.Budget == 10 && r.Id == "q3");
        Assert.Equal(("Answer 3", "Answer 3", 0.010m, 10L, 100L, 10L), (row.Answer, row.Reference, row.CostUsd, row.ToolUnits, row.InputTokens, row.OutputTokens));
    }

    [Fact]
    public async Task A_rerun_skips_finished_cells()
    {
        var first = ScriptedStrategy.Threshold("react", 1);
        await using (var journal = await ResultsJournal.OpenAsync(ResultsPath))
        {
            await new GridRunner(new GridRunnerOptions()).RunAsync(Items.Take(3).ToList(), [first], [5, 10], journal);
        }

        var second = ScriptedStrategy.Threshold("react", 1);
        await using (var journal = await ResultsJournal.OpenAsync(ResultsPath))
        {
            var summary = await new GridRunner(new GridRunnerOptions()).RunAsync(Items, [second], [5, 10], journal);
            Assert.Equal(new GridRunSummary(12, 6, 6), summary);
            Assert.Equal(12, journal.Results.Count);
        }

        Assert.Equal(6, second.Calls);
        Assert.Equal(12, (await File.ReadAllLinesAsync(ResultsPath)).Length);
    }

    [Fact]
    public async Task Parallelism_is_bounded_and_used()
    {
        int running = 0, peak = 0;
        var bothStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var strategy = new ScriptedStrategy("p", async (item, budget, ct) =>
        {
            int now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            if (now >= 2)
            {
                bothStarted.TrySetResult();
            }

            // Every run waits until two have overlapped once (or 10 s pass, which then fails the peak assertion).
            await Task.WhenAny(bothStarted.Task, Task.Delay(TimeSpan.FromSeconds(10), ct));
            Interlocked.Decrement(ref running);
            return new EvalAttempt(item.Answer, "answered", 0m, 0, 0, 0);
        });
        await using var journal = await ResultsJournal.OpenAsync(ResultsPath);
        await new GridRunner(new GridRunnerOptions { MaxParallelism = 2 }).RunAsync(Items, [strategy], [1, 2, 3], journal);
        Assert.Equal(2, peak);
        Assert.Equal(18, journal.Results.Count);
    }

    [Fact]
    public async Task A_failing_strategy_stops_the_grid_keeps_finished_rows_and_a_rerun_completes()
    {
        var failing = new ScriptedStrategy("s", (item, budget, _) => item.Id == "q4"
            ? throw new HttpRequestException("Connection refused (127.0.0.1:9)")
            : Task.FromResult(new EvalAttempt(item.Answer, "answered", 0.001m, 1, 1, 1)));
        await using (var journal = await ResultsJournal.OpenAsync(ResultsPath))
        {
            var ex = await Assert.ThrowsAsync<HttpRequestException>(() => new GridRunner(new GridRunnerOptions { MaxParallelism = 1 }).RunAsync(Items, [failing], [5], journal));
            Assert.Contains("Connection refused", ex.Message, StringComparison.Ordinal);
            Assert.Equal(["q1", "q2", "q3"], journal.Results.Select(r => r.Id));
        }

        var healthy = ScriptedStrategy.Threshold("s", 1);
        await using (var journal = await ResultsJournal.OpenAsync(ResultsPath))
        {
            var summary = await new GridRunner(new GridRunnerOptions { MaxParallelism = 1 }).RunAsync(Items, [healthy], [5], journal);
            Assert.Equal(new GridRunSummary(6, 3, 3), summary);
            Assert.Equal(Items.Select(i => i.Id), journal.Results.Select(r => r.Id));
        }
    }

    [Fact]
    public async Task Cancellation_records_no_half_done_rows_and_loses_no_finished_ones()
    {
        using var cts = new CancellationTokenSource();
        int finished = 0;
        var strategy = new ScriptedStrategy("s", async (item, budget, ct) =>
        {
            if (Interlocked.Increment(ref finished) > 4)
            {
                await cts.CancelAsync();
                await Task.Delay(Timeout.Infinite, ct);
            }

            return new EvalAttempt(item.Answer, "answered", 0m, 0, 0, 0);
        });
        await using (var journal = await ResultsJournal.OpenAsync(ResultsPath))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new GridRunner(new GridRunnerOptions { MaxParallelism = 1 }).RunAsync(Items, [strategy], [5, 10], journal, cts.Token));
            Assert.Equal(4, journal.Results.Count);
        }

        await using (var journal = await ResultsJournal.OpenAsync(ResultsPath))
        {
            Assert.Empty(journal.Problems);
            await new GridRunner(new GridRunnerOptions()).RunAsync(Items, [ScriptedStrategy.Threshold("s", 1)], [5, 10], journal);
            Assert.Equal(12, journal.Results.Select(r => (r.Budget, r.Id)).Distinct().Count());
            Assert.Equal(12, journal.Results.Count);
        }
    }

    [Fact]
    public async Task Bad_grid_definitions_are_rejected_with_clear_messages()
    {
        await using var journal = await ResultsJournal.OpenAsync(ResultsPath);
        var runner = new GridRunner(new GridRunnerOptions());
        var s = ScriptedStrategy.Threshold("s", 1);
        Assert.Contains("strategy", (await Assert.ThrowsAsync<ArgumentException>(() => runner.RunAsync(Items, [], [5], journal))).Message, StringComparison.Ordinal);
        Assert.Contains("unique", (await Assert.ThrowsAsync<ArgumentException>(() => runner.RunAsync(Items, [s, ScriptedStrategy.Threshold("s", 2)], [5], journal))).Message, StringComparison.Ordinal);
        Assert.Contains("at least 1", (await Assert.ThrowsAsync<ArgumentException>(() => runner.RunAsync(Items, [s], [0], journal))).Message, StringComparison.Ordinal);
        Assert.Contains("MaxParallelism", Assert.Throws<ArgumentOutOfRangeException>(() => new GridRunner(new GridRunnerOptions { MaxParallelism = 0 })).Message, StringComparison.Ordinal);
        Assert.Equal(0, s.Calls);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
