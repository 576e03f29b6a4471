namespace Agents.Budget.Tests.Tracking;

public sealed class ExtendToolLimitTests
{
    private static readonly AIFunction Search = AIFunctionFactory.Create(
        [BudgetCategory("search", UnitsArgument = "queries")] (string[] queries) => "ok", "search");

    [Fact]
    public async Task ExtendToolLimit_LetsRefusedCallsRun_AndRaisesExhaustionAgainAtTheNewLimit()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 2));
        var exhausted = new List<string>();
        tracker.Exhausted += (_, e) => exhausted.Add(e.Budget);
        var args = new AIFunctionArguments { ["queries"] = new[] { "a", "b" } };
        Assert.True((await tracker.InvokeToolAsync(Search, args, default)).Executed);
        Assert.False((await tracker.InvokeToolAsync(Search, args, default)).Executed);

        Assert.Equal(4, tracker.ExtendToolLimit("SEARCH", 2));

        Assert.False(tracker.IsExhausted);
        BudgetedToolResult again = await tracker.InvokeToolAsync(Search, args, default);
        Assert.True(again.Executed);
        Assert.Contains("Search used: 4, remaining: 0", again.Result, StringComparison.Ordinal);
        Assert.Equal(["search", "search"], exhausted);
        Assert.Equal(4, tracker.GetSnapshot().GetCategory("search")!.Limit);
    }

    [Fact]
    public void ExtendToolLimit_RejectsUnlimitedAndUnknownCategoriesAndNonPositiveUnits()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 2).AddCategory("browse"));
        Assert.Throws<InvalidOperationException>(() => tracker.ExtendToolLimit("browse", 1));
        Assert.Throws<InvalidOperationException>(() => tracker.ExtendToolLimit("nope", 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => tracker.ExtendToolLimit("search", 0));
    }
}
