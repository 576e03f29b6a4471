namespace Agents.Planners.Tests.Runs;

/// <summary>Model calls a tool makes on the run's behalf (browse's page summary) count in the run's own cost, not only on the tracker.</summary>
public sealed class ToolModelSpendTests
{
    [Fact]
    public async Task A_summary_the_tool_paid_for_is_in_the_runs_cost_and_the_record_of_the_call()
    {
        var options = new BudgetOptions { MaxInputTokens = 1_000_000 }.SetToolLimit("browse", 10);
        options.Pricing.SetDefaultModelPrice(1m, 2m);
        var tracker = new BudgetTracker(options);
        // A browse that asks a model to condense the page, charged to the run's tracker while the tool runs.
        AIFunction browse = AIFunctionFactory.Create([BudgetCategory("browse")] (string url) =>
        {
            using BudgetModelReservation hold = tracker.TryReserveModelCall(500, 50, "reader");
            hold.Commit(new UsageDetails { InputTokenCount = 500, OutputTokenCount = 40 });
            return "summary of " + url;
        }, "browse");
        var scripted = new ScriptedChatClient(call => call.Index == 0
            ? Reply.Tool("browse", new Dictionary<string, object?> { ["url"] = "https://example.org/a" })
            : Reply.Text("<answer>42</answer><confidence>0.9</confidence>"));
        var agent = new ReActAgent(scripted, [browse], tracker);

        AgentRunResult result = await agent.RunAsync("What is the answer?");

        Assert.Equal(AgentRunStatus.Answered, result.Status);
        BudgetSnapshot spent = tracker.GetSnapshot();
        Assert.Equal(2 * Reply.InputTokens + 500, spent.InputTokens);
        Assert.Equal(spent.InputTokens, result.Cost.InputTokens);
        Assert.Equal(spent.OutputTokens, result.Cost.OutputTokens);
        Assert.Equal(3, result.Cost.ModelCalls);
        Assert.Equal(spent.CostUsd, result.Cost.CostUsd);
        ToolCallRecord call = Assert.Single(result.Trajectory.ToolCalls);
        Assert.Equal(new BudgetModelSpend(500, 40, 0, 1, options.Pricing.GetModelPrice("reader").Cost(500, 40, 0)), call.ModelSpend);
    }

    [Fact]
    public async Task A_tool_without_a_model_call_reports_no_model_spend()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 10));
        var scripted = new ScriptedChatClient(call => call.Index == 0 ? Reply.Search("q") : Reply.Text("<answer>42</answer>"));
        var agent = new ReActAgent(scripted, new TestTools().All, tracker);

        AgentRunResult result = await agent.RunAsync("What is the answer?");

        Assert.Null(Assert.Single(result.Trajectory.ToolCalls).ModelSpend);
        Assert.Equal(tracker.GetSnapshot().InputTokens, result.Cost.InputTokens);
    }
}
