namespace Agents.Budget.Tests.Ledger;

/// <summary>How a tool call's shared reservation is settled: what the tool refunded, and trackers below the one that has the ledger.</summary>
public sealed class SharedLedgerSettlementTests
{
    private static AIFunctionArguments Queries(int n) => new() { ["queries"] = Enumerable.Range(0, n).Select(i => "q" + i).ToArray() };

    private static BudgetOptions Mapped(BudgetOptions options, long limit) =>
        options.SetToolLimit("search", limit).AddToolMapping("web_search", "search", unitsArgument: "queries");

    [Fact]
    public async Task Units_the_tool_refunded_are_given_back_to_the_shared_ledger_too()
    {
        var org = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 10));
        var worker = new BudgetTracker(Mapped(new BudgetOptions { SharedLedger = new InProcessBudgetLedger(org) }, 100));
        // The tool runs four queries but finds two of them already answered: it charges only two.
        AIFunction search = AIFunctionFactory.Create((string[] queries) =>
        {
            ToolChargeContext.Current!.Refund(2);
            return $"{queries.Length - 2} new hits";
        }, "web_search");

        BudgetedToolResult r = await worker.InvokeToolAsync(search, Queries(4), CancellationToken.None);

        Assert.True(r.Executed);
        Assert.Equal(2, r.Units);
        Assert.Equal(2, worker.GetSnapshot().GetCategory("search")!.Used);
        Assert.Equal(2, org.GetSnapshot().GetCategory("search")!.Used);
        Assert.Equal(0, org.GetSnapshot().GetCategory("search")!.InFlight);
    }

    [Fact]
    public async Task A_call_that_refunded_everything_releases_its_shared_reservation()
    {
        var org = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 10));
        var worker = new BudgetTracker(Mapped(new BudgetOptions { SharedLedger = new InProcessBudgetLedger(org) }, 100));
        AIFunction search = AIFunctionFactory.Create((string[] queries) =>
        {
            ToolChargeContext.Current!.Refund(queries.Length);
            return "all cached";
        }, "web_search");

        BudgetedToolResult r = await worker.InvokeToolAsync(search, Queries(3), CancellationToken.None);

        Assert.True(r.Executed);
        Assert.Equal(0, org.GetSnapshot().GetCategory("search")!.Used);
        Assert.Equal(0, org.GetSnapshot().GetCategory("search")!.InFlight);
    }

    [Fact]
    public async Task A_child_trackers_tool_calls_spend_the_shared_ledger_of_its_parent()
    {
        var org = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 3));
        var run = new BudgetTracker(Mapped(new BudgetOptions { SharedLedger = new InProcessBudgetLedger(org) }, 100));
        BudgetTracker child = run.CreateChild(Mapped(new BudgetOptions(), 50));
        AIFunction search = AIFunctionFactory.Create((string[] queries) => $"{queries.Length} hits", "web_search");

        BudgetedToolResult first = await child.InvokeToolAsync(search, Queries(3), CancellationToken.None);
        BudgetedToolResult second = await child.InvokeToolAsync(search, Queries(1), CancellationToken.None);

        Assert.True(first.Executed);
        Assert.Equal(BudgetedToolOutcome.Refused, second.Outcome);
        Assert.Contains("The shared search budget refused this call", second.Text, StringComparison.Ordinal);
        Assert.Equal(3, org.GetSnapshot().GetCategory("search")!.Used);
        Assert.Equal(3, run.GetSnapshot().GetCategory("search")!.Used);
    }
}
