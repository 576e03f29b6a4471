namespace Agents.Planners.Tests.Runs;

/// <summary>Issue 14 item 5, planner side: every model call is reserved first, so token and money limits hold exactly.</summary>
public sealed class ModelInvokerHardLimitTests
{
    private const int MaxReplyTokens = 800;

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        foreach (int seed in Enumerable.Range(0, 40))
        {
            data.Add(seed);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task ReAct_RandomCapsAndReplies_NeverOvershoot_AndEndWithAnAnswer(int seed)
    {
        (Random random, BudgetOptions options, BudgetTracker tracker, int answerAt) = RandomRun(seed);
        var script = new ScriptedChatClient(call =>
        {
            if (!call.HasTools)
            {
                return Reply.Text("<answer>from the reserve</answer>");
            }

            int step = call.Messages.Count(m => m.Role == ChatRole.Tool) + 1;
            return step >= answerAt ? Reply.Text("<answer>found it</answer>") : Reply.Search(Queries(random));
        });
        var model = new HonestUsageChatClient(script, seed, MaxReplyTokens);
        var agent = new ReActAgent(model, new TestTools().All, tracker, new ReActOptions { MaxIterations = 10 });

        AgentRunResult result = await agent.RunAsync("q?");

        AssertWithinLimits(options, tracker.GetSnapshot(), seed);
        Assert.True(result.Status == AgentRunStatus.Answered, $"seed {seed}: {result.Status} {result.StatusReason}");
        Assert.NotNull(result.Answer);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Bats_RandomCapsAndReplies_NeverOvershoot_AndEndWithAnAnswer(int seed)
    {
        (Random random, BudgetOptions options, BudgetTracker tracker, int answerAt) = RandomRun(seed);
        int acts = 0;
        var script = new BatsScript
        {
            ActFallback = _ => ++acts >= answerAt ? BatsScript.Answer("found it") : Reply.Search(Queries(random)),
        };
        var model = new HonestUsageChatClient(script.Client, seed, MaxReplyTokens);
        var agent = new BatsAgent(model, new TestTools().All, tracker, new BatsOptions { MaxAttempts = 1, MaxIterationsPerAttempt = 10 });

        AgentRunResult result = await agent.RunAsync("Which physicist born in 1950 won the Wolf prize?");

        AssertWithinLimits(options, tracker.GetSnapshot(), seed);
        Assert.True(result.Answer is not null, $"seed {seed}: {result.Status} {result.StatusReason}");
    }

    [Fact]
    public async Task ReAct_CallThatDoesNotFit_IsNotMade_AndTheFinalAnswerComesFromTheReserve()
    {
        var options = new BudgetOptions { MaxOutputTokens = 1_000, FinalAnswerReserveTokens = 400, OnExhaustion = ExhaustionBehavior.FinalAnswerWithoutTools };
        var tracker = new BudgetTracker(options.SetToolLimit("search", 100).AddToolMapping("search", "search", unitsArgument: "queries"));
        var script = new ScriptedChatClient(call => call.HasTools ? Reply.Search("q") : Reply.Text("<answer>from the reserve</answer>"));
        var model = new HonestUsageChatClient(script, seed: 1, maxOutputTokens: 250);
        var agent = new ReActAgent(model, new TestTools().All, tracker, new ReActOptions { MaxIterations = 50 });

        AgentRunResult result = await agent.RunAsync("q?");

        Assert.Equal(AgentRunStatus.Answered, result.Status);
        Assert.Equal("from the reserve", result.Answer);
        Assert.False(script.Calls[^1].HasTools);
        Assert.All(script.Calls, c => Assert.NotNull(c.Options?.MaxOutputTokens));
        Assert.All(script.Calls.SkipLast(1), c => Assert.True(c.Options!.MaxOutputTokens <= 600));
        Assert.True(tracker.GetSnapshot().OutputTokens <= 1_000);
    }

    /// <summary>The seed's generator, its random limits, a tracker on them and the step that answers, drawn in that order.</summary>
    private static (Random Random, BudgetOptions Options, BudgetTracker Tracker, int AnswerAt) RandomRun(int seed)
    {
        var random = new Random(seed);
        BudgetOptions options = RandomLimits(random);
        return (random, options, new BudgetTracker(options), random.Next(1, 11));
    }

    private static BudgetOptions RandomLimits(Random random)
    {
        var options = new BudgetOptions { OnExhaustion = ExhaustionBehavior.FinalAnswerWithoutTools };
        int which = random.Next(1, 8);
        if ((which & 1) != 0)
        {
            options.MaxInputTokens = random.Next(8_000, 30_000);
        }

        if ((which & 2) != 0)
        {
            options.MaxOutputTokens = random.Next(5_000, 10_000);
        }

        if ((which & 4) != 0)
        {
            options.MaxCostUsd = random.Next(10, 40) / 1000m;
            options.FinalAnswerReserveUsd = 0.006m;
        }

        if (options.MaxInputTokens is not null || options.MaxOutputTokens is not null)
        {
            options.FinalAnswerReserveTokens = 4_000;
        }

        options.Pricing.SetDefaultModelPrice(1m, 2m, 0.5m);
        return options.SetToolLimit("search", random.Next(2, 30)).AddToolMapping("search", "search", unitsArgument: "queries");
    }

    private static string[] Queries(Random random) =>
        [.. Enumerable.Range(0, random.Next(1, 4)).Select(i => "query " + new string('x', random.Next(5, 200)))];

    private static void AssertWithinLimits(BudgetOptions options, BudgetSnapshot snapshot, int seed)
    {
        Assert.True(options.MaxInputTokens is not { } maxIn || snapshot.InputTokens <= maxIn, $"seed {seed}: input {snapshot.InputTokens} > {options.MaxInputTokens}");
        Assert.True(options.MaxOutputTokens is not { } maxOut || snapshot.OutputTokens <= maxOut, $"seed {seed}: output {snapshot.OutputTokens} > {options.MaxOutputTokens}");
        decimal spent = snapshot.TokenCostUsd + snapshot.ToolCostUsd;
        Assert.True(options.MaxCostUsd is not { } maxCost || spent <= maxCost, $"seed {seed}: ${spent} > ${options.MaxCostUsd}");
    }
}
