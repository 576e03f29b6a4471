namespace Agents.Planners.Tests.Runs;

/// <summary>Issue 16: the planners' model calls reserve in <see cref="BudgetOptions.SharedLedger"/>, so an org-wide token and money cap holds for agents running in parallel.</summary>
public sealed class SharedLedgerModelCallTests
{
    private const string In = SharedLedgerCategories.InputTokens;
    private const string Out = SharedLedgerCategories.OutputTokens;
    private const string Cost = SharedLedgerCategories.CostMicroUsd;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Parallel_ReAct_runs_never_overrun_the_shared_caps_and_the_ledger_equals_their_token_spend(int seed)
    {
        const long outCap = 20_000, moneyCap = 60_000; // a call without a cap holds 4,096 output tokens in the shared ledger
        var org = new BudgetTracker(new BudgetOptions().SetToolLimit(Out, outCap).SetToolLimit(Cost, moneyCap));
        var shared = new InProcessBudgetLedger(org);
        var trackers = new List<BudgetTracker>();
        var runs = new List<Task<AgentRunResult>>();
        for (int run = 0; run < 4; run++)
        {
            var options = new BudgetOptions { SharedLedger = shared }.SetToolLimit("search", 50).AddToolMapping("search", "search", unitsArgument: "queries");
            options.Pricing.SetDefaultModelPrice(1m, 2m); // whole microdollars: input + 2 x output
            var tracker = new BudgetTracker(options);
            trackers.Add(tracker);
            var random = new Random(seed * 100 + run);
            var script = new ScriptedChatClient(call => call.Messages.Count(m => m.Role == ChatRole.Tool) >= 6
                ? Reply.Text("<answer>done</answer>")
                : Reply.Search(["query " + random.Next()]));
            var model = new HonestUsageChatClient(script, seed * 100 + run, 600);
            var agent = new ReActAgent(model, new TestTools().All, tracker, new ReActOptions { MaxIterations = 8 });
            runs.Add(Task.Run(() => agent.RunAsync("q?")));
        }

        AgentRunResult[] results = await Task.WhenAll(runs);

        BudgetSnapshot ledger = org.GetSnapshot();
        Assert.True(ledger.GetCategory(Out)!.Used <= outCap, $"output tokens overrun: {ledger.GetCategory(Out)!.Used} of {outCap}");
        Assert.True(ledger.GetCategory(Cost)!.Used <= moneyCap, $"money overrun: {ledger.GetCategory(Cost)!.Used} of {moneyCap}");
        Assert.Equal((0, 0, 0), (ledger.GetCategory(In)!.InFlight, ledger.GetCategory(Out)!.InFlight, ledger.GetCategory(Cost)!.InFlight));
        Assert.Equal(trackers.Sum(t => t.GetSnapshot().InputTokens), ledger.GetCategory(In)!.Used);
        Assert.Equal(trackers.Sum(t => t.GetSnapshot().OutputTokens), ledger.GetCategory(Out)!.Used);
        Assert.Equal(trackers.Sum(t => t.GetSnapshot().TokenCostUsd) * 1_000_000m, ledger.GetCategory(Cost)!.Used);
        Assert.True(ledger.GetCategory(Out)!.Used > 0, "no model call was made: " + string.Join("; ", results.Select(r => r.StatusReason)));
    }
}
