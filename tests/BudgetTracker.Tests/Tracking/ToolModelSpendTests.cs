namespace Agents.Budget.Tests.Tracking;

/// <summary><see cref="BudgetedToolResult.ModelSpend"/>: model usage charged while a tool ran, on the call's own flow.</summary>
public sealed class ToolModelSpendTests
{
    private static BudgetTracker Tracker()
    {
        var options = new BudgetOptions().SetToolLimit("browse", 10);
        options.Pricing.SetDefaultModelPrice(1m, 4m);
        return new BudgetTracker(options);
    }

    [Fact]
    public async Task Usage_committed_while_the_tool_ran_is_reported_on_its_result_and_counted_once_on_the_tracker()
    {
        BudgetTracker tracker = Tracker();
        AIFunction browse = AIFunctionFactory.Create([BudgetCategory("browse")] (string url) =>
        {
            using BudgetModelReservation first = tracker.TryReserveModelCall(300, 30, "reader");
            first.Commit(new UsageDetails { InputTokenCount = 300, OutputTokenCount = 20 });
            tracker.RecordUsage(new UsageDetails { InputTokenCount = 100, OutputTokenCount = 10 }, "reader");
            return "page " + url;
        }, "browse");

        BudgetedToolResult r = await tracker.InvokeToolAsync(browse, new AIFunctionArguments { ["url"] = "https://example.org/a" }, CancellationToken.None);

        Assert.True(r.Executed);
        decimal cost = tracker.Options.Pricing.GetModelPrice("reader").Cost(400, 30, 0);
        Assert.Equal(new BudgetModelSpend(400, 30, 0, 2, cost), r.ModelSpend);
        BudgetSnapshot spent = tracker.GetSnapshot();
        Assert.Equal(400, spent.InputTokens);
        Assert.Equal(30, spent.OutputTokens);
        Assert.Equal(cost + tracker.Options.Pricing.GetUnitPrice("browse"), spent.CostUsd); // the tokens once, plus the one browse unit
    }

    [Fact]
    public async Task Usage_outside_the_tool_or_a_tool_without_model_calls_reports_nothing()
    {
        BudgetTracker tracker = Tracker();
        AIFunction browse = AIFunctionFactory.Create([BudgetCategory("browse")] (string url) => "page " + url, "browse");
        tracker.RecordUsage(new UsageDetails { InputTokenCount = 100, OutputTokenCount = 10 }, "agent");

        BudgetedToolResult r = await tracker.InvokeToolAsync(browse, new AIFunctionArguments { ["url"] = "https://example.org/a" }, CancellationToken.None);

        Assert.True(r.Executed);
        Assert.Same(BudgetModelSpend.Zero, r.ModelSpend);
        Assert.True(r.ModelSpend.IsZero);
    }

    [Fact]
    public async Task Parallel_tool_calls_each_report_only_their_own_model_usage()
    {
        BudgetTracker tracker = Tracker();
        AIFunction browse = AIFunctionFactory.Create([BudgetCategory("browse")] async (int tokens) =>
        {
            await Task.Yield();
            tracker.RecordUsage(new UsageDetails { InputTokenCount = tokens, OutputTokenCount = 1 }, "reader");
            await Task.Yield();
            return tokens.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }, "browse");

        BudgetedToolResult[] results = await Task.WhenAll(Enumerable.Range(1, 8).Select(i =>
            tracker.InvokeToolAsync(browse, new AIFunctionArguments { ["tokens"] = i * 100 }, CancellationToken.None)));

        for (int i = 0; i < results.Length; i++)
        {
            Assert.Equal((i + 1) * 100, results[i].ModelSpend.InputTokens);
            Assert.Equal(1, results[i].ModelSpend.ModelCalls);
        }
    }
}
