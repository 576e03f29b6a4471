namespace Agents.Budget.Tests.Ledger;

/// <summary>A tracker with a <see cref="BudgetOptions.SharedLedger"/>: many trackers, one shared cap.</summary>
public sealed class SharedLedgerTests
{
    private static readonly AIFunction Search = AIFunctionFactory.Create((string[] queries) => $"{queries.Length} hits", "web_search");

    private static BudgetTracker Worker(IBudgetLedger shared, long localLimit = 100) =>
        new(new BudgetOptions { SharedLedger = shared }
            .SetToolLimit("search", localLimit)
            .AddToolMapping("web_search", "search", unitsArgument: "queries"));

    private static AIFunctionArguments Queries(int n) => new() { ["queries"] = Enumerable.Range(0, n).Select(i => "q" + i).ToArray() };

    [Fact]
    public async Task Many_trackers_never_spend_more_than_the_shared_cap_together()
    {
        var org = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 20));
        var shared = new InProcessBudgetLedger(org);
        BudgetTracker[] workers = [.. Enumerable.Range(0, 4).Select(_ => Worker(shared))];
        long executed = 0;

        await Task.WhenAll(workers.Select((w, i) => Task.Run(async () =>
        {
            var random = new Random(i);
            for (int call = 0; call < 20; call++)
            {
                BudgetedToolResult r = await w.InvokeToolAsync(Search, Queries(random.Next(1, 4)), CancellationToken.None);
                if (r.Executed)
                {
                    Interlocked.Add(ref executed, r.Units);
                }
            }
        })));

        long used = org.GetSnapshot().GetCategory("search")!.Used;
        Assert.True(used <= 20, $"the shared cap was overrun: {used} of 20");
        Assert.Equal(executed, used);
        Assert.Equal(executed, workers.Sum(w => w.GetSnapshot().GetCategory("search")!.Used));
        Assert.True(used >= 18, $"the cap was not used: {used}"); // calls of 1-3 units stop within 2 of the cap
    }

    [Fact]
    public async Task A_shared_denial_is_a_refusal_the_model_reads_and_leaves_the_local_budget_untouched()
    {
        var org = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 2));
        BudgetTracker worker = Worker(new InProcessBudgetLedger(org));

        BudgetedToolResult ok = await worker.InvokeToolAsync(Search, Queries(2), CancellationToken.None);
        BudgetedToolResult refused = await worker.InvokeToolAsync(Search, Queries(1), CancellationToken.None);

        Assert.True(ok.Executed);
        Assert.Equal(BudgetedToolOutcome.Refused, refused.Outcome);
        Assert.Contains("The shared search budget refused this call", refused.Text, StringComparison.Ordinal);
        Assert.Equal(2, worker.GetSnapshot().GetCategory("search")!.Used);
        Assert.Equal(0, worker.GetSnapshot().GetCategory("search")!.InFlight);
    }

    [Fact]
    public async Task A_tool_that_throws_or_an_unreachable_ledger_spends_nothing_anywhere()
    {
        var org = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 10));
        BudgetTracker worker = Worker(new InProcessBudgetLedger(org));
        Func<string[], string> fail = queries => throw new InvalidOperationException("engine down");
        AIFunction failing = AIFunctionFactory.Create(fail, "web_search");

        await Assert.ThrowsAsync<InvalidOperationException>(() => worker.InvokeToolAsync(failing, Queries(3), CancellationToken.None));
        Assert.Equal(0, org.GetSnapshot().GetCategory("search")!.Used);
        Assert.Equal(0, org.GetSnapshot().GetCategory("search")!.InFlight);

        BudgetTracker cut = Worker(new UnreachableLedger());
        BudgetedToolResult r = await cut.InvokeToolAsync(Search, Queries(1), CancellationToken.None);
        Assert.Equal(BudgetedToolOutcome.Refused, r.Outcome);
        Assert.Contains("could not be reached", r.Text, StringComparison.Ordinal);
        Assert.Equal(0, cut.GetSnapshot().GetCategory("search")!.Used);
        Assert.Equal(0, cut.GetSnapshot().GetCategory("search")!.InFlight);
    }

    [Fact]
    public void A_lease_that_is_not_positive_is_refused_naming_the_option()
    {
        var e = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new BudgetTracker(new BudgetOptions { SharedLedgerLease = TimeSpan.Zero }));
        Assert.Contains("SharedLedgerLease", e.Message, StringComparison.Ordinal);
    }
}
