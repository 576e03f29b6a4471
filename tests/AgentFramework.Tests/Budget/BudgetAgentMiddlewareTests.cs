using Agents.Budget.Tests.Fakes;

namespace Agents.AgentFramework.Tests.Budget;

/// <summary>A <see cref="ChatClientAgent"/> with <c>AsBuilder().UseBudgetTracker(tracker)</c>, driven by a scripted model.</summary>
public sealed class BudgetAgentMiddlewareTests
{
    /// <summary>A model that calls search with two queries until it sees a refusal or the block says nothing is left, then answers.</summary>
    private static ScriptedChatClient SearchingModel() => new((messages, options, turn) =>
    {
        string? last = Script.LastToolResult(messages);
        bool toolsOffered = options?.Tools is { Count: > 0 };
        return !toolsOffered || turn >= 10 || (last?.Contains("not executed", StringComparison.Ordinal) ?? false)
            ? Script.Answer("final answer", 10, 5)
            : Script.ToolCalls("search", 1, 2, 100, 20, turn);
    });

    private static (AIFunction Tool, Func<int> Ran) SearchTool()
    {
        int ran = 0;
        AIFunction tool = AIFunctionFactory.Create(
            [BudgetCategory("search", UnitsArgument = "queries")] (string[] queries) =>
            {
                Interlocked.Add(ref ran, queries.Length);
                return $"results for {string.Join(",", queries)}";
            },
            "search");
        return (tool, () => Volatile.Read(ref ran));
    }

    private static AIAgent Build(IChatClient model, AIFunction tool, BudgetTracker tracker, Action<BudgetAgentOptions>? configure = null) =>
        model.AsAIAgent(instructions: "You research.", name: "researcher", tools: [tool])
            .AsBuilder()
            .UseBudgetTracker(tracker, configure)
            .Build();

    /// <summary>A tracker with <paramref name="options"/>, the searching model, its search tool and the budgeted agent over both.</summary>
    private static (BudgetTracker Tracker, ScriptedChatClient Model, Func<int> Ran, AIAgent Agent) Arrange(BudgetOptions options)
    {
        var tracker = new BudgetTracker(options);
        ScriptedChatClient model = SearchingModel();
        (AIFunction tool, Func<int> ran) = SearchTool();
        return (tracker, model, ran, Build(model, tool, tracker));
    }

    private static async Task<AgentResponse> RunAsync(AIAgent agent, bool streaming) =>
        streaming ? await agent.RunStreamingAsync("find it").ToAgentResponseAsync() : await agent.RunAsync("find it");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ChatClientAgent_SeesTheBudgetBlockAfterEveryToolResult_AndStopsAtTheUnitLimit(bool streaming)
    {
        var (tracker, model, ran, agent) = Arrange(new BudgetOptions().SetToolLimit("search", 5));

        AgentResponse response = await RunAsync(agent, streaming);

        // Two calls of 2 ran (4 units), the third (2 more) is refused: 1 unit left. The loop stops on the refusal.
        Assert.Equal(4, ran());
        Assert.Equal(4, tracker.GetSnapshot().GetCategory("search")!.Used);
        List<string> results = [.. Script.AllToolResults(response.Messages)];
        Assert.Equal(3, results.Count);
        Assert.All(results, r => Assert.Contains("<budget>", r, StringComparison.Ordinal));
        Assert.Contains("Search used: 2, remaining: 3", results[0], StringComparison.Ordinal);
        Assert.Contains("not executed", results[2], StringComparison.Ordinal);
        Assert.Equal(ChatRole.Tool, response.Messages[^1].Role);
        Assert.Equal(3, model.Calls.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TerminateAtTheLimit_StopsTheToolLoop_WhenTheBudgetBecomesExhausted(bool streaming)
    {
        var (tracker, model, ran, agent) = Arrange(new BudgetOptions().SetToolLimit("search", 4));

        AgentResponse response = await RunAsync(agent, streaming);

        Assert.Equal(4, ran());
        Assert.Equal(2, model.Calls.Count);
        Assert.Contains("Search used: 4, remaining: 0", Script.AllToolResults(response.Messages).Last(), StringComparison.Ordinal);
        Assert.True(tracker.IsExhausted);
        await Assert.ThrowsAsync<BudgetExhaustedException>(() => agent.RunAsync("again"));
        Assert.Equal(2, model.Calls.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FinalAnswerWithoutTools_AnswersWithToolsRemoved_AfterTheLimit(bool streaming)
    {
        var (_, model, ran, agent) = Arrange(new BudgetOptions { OnExhaustion = ExhaustionBehavior.FinalAnswerWithoutTools }.SetToolLimit("search", 4));

        AgentResponse response = await RunAsync(agent, streaming);

        Assert.Equal(4, ran());
        Assert.Equal("final answer", response.Messages[^1].Text);
        Assert.Equal(3, model.Calls.Count);
        Assert.True(model.Calls[^1].Options?.Tools is null or { Count: 0 });
        Assert.Contains(model.Calls[^1].Messages, m => m.Role == ChatRole.Tool);

        // A new run on the exhausted budget answers without tools instead of throwing.
        AgentResponse again = await agent.RunAsync("and now?");
        Assert.Equal("final answer", again.Text);
        Assert.True(model.Calls[^1].Options?.Tools is null or { Count: 0 });
        Assert.Equal(4, ran());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TokensAndMoney_AreCountedOnce_AndTheSpendIsReported(bool streaming)
    {
        var options = new BudgetOptions { MaxInputTokens = 10_000 }.SetToolLimit("search", 4);
        options.Pricing.SetModelPrice("fake-model", inputPerMTok: 1_000_000m, outputPerMTok: 0m);
        var (tracker, _, _, agent) = Arrange(options);

        object? reportedValue;
        if (streaming)
        {
            List<AgentResponseUpdate> updates = [];
            await foreach (AgentResponseUpdate update in agent.RunStreamingAsync("find it"))
            {
                updates.Add(update);
            }

            reportedValue = updates[^1].AdditionalProperties?[BudgetAgentKeys.Snapshot];
        }
        else
        {
            AgentResponse response = await agent.RunAsync("find it");
            reportedValue = response.AdditionalProperties?[BudgetAgentKeys.Snapshot];
        }

        BudgetSnapshot snapshot = tracker.GetSnapshot();
        Assert.Equal(200, snapshot.InputTokens);
        Assert.Equal(40, snapshot.OutputTokens);
        Assert.Equal(200m, snapshot.TokenCostUsd);
        BudgetSnapshot reported = Assert.IsType<BudgetSnapshot>(reportedValue);
        Assert.Equal(4, reported.GetCategory("search")!.Used);
        Assert.Equal(200, reported.InputTokens);
    }

    [Fact]
    public async Task TokenLimit_StopsTheNextToolCall_WhenStreamingUsageArrivesBeforeIt()
    {
        var (_, _, ran, agent) = Arrange(new BudgetOptions { MaxInputTokens = 150 }.SetToolLimit("search", 100));

        AgentResponse response = await agent.RunStreamingAsync("find it").ToAgentResponseAsync();

        // Turn 0 (100 tokens) calls search: allowed. Turn 1 (200 tokens) calls search: refused by the token budget.
        Assert.Equal(2, ran());
        Assert.Contains("input token budget is exhausted", Script.AllToolResults(response.Messages).Last(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToolsPassedPerRun_AreCharged_Too()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 2));
        ScriptedChatClient model = SearchingModel();
        (AIFunction tool, Func<int> ran) = SearchTool();
        AIAgent agent = model.AsAIAgent(instructions: "You research.").AsBuilder().UseBudgetTracker(tracker).Build();

        AgentResponse response = await agent.RunAsync("find it", options: new ChatClientAgentRunOptions(new ChatOptions { Tools = [tool] }));

        Assert.Equal(2, ran());
        Assert.Contains("Search used: 2, remaining: 0", Script.AllToolResults(response.Messages).First(), StringComparison.Ordinal);
    }
}
