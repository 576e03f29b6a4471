namespace Agents.Planners.Tests.Runs;

/// <summary>An agent whose chat client carries a budget layer on the agent's own tracker counts each model call once.</summary>
public sealed class UsageLayerTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReAct_OverAClientWithABudgetLayerOnTheSameTracker_CountsEveryModelCallOnce(bool modelLimits)
    {
        var options = new BudgetOptions().SetToolLimit("search", 10);
        if (modelLimits)
        {
            options.MaxInputTokens = 1_000_000;
        }

        var tracker = new BudgetTracker(options);
        var scripted = new ScriptedChatClient(call => call.Index < 3
            ? Reply.Search("q" + call.Index)
            : Reply.Text("<answer>42</answer><confidence>0.9</confidence>"));
        IChatClient model = new ChatClientBuilder(scripted).UseBudgetTracker(tracker, o => o.ChargeTools = false).Build();
        var agent = new ReActAgent(model, new TestTools().All, tracker);

        AgentRunResult result = await agent.RunAsync("What is the answer?");

        Assert.Equal(AgentRunStatus.Answered, result.Status);
        Assert.Equal(4, scripted.Calls.Count);
        BudgetSnapshot snapshot = tracker.GetSnapshot();
        Assert.Equal(4 * Reply.InputTokens, snapshot.InputTokens);
        Assert.Equal(4 * Reply.OutputTokens, snapshot.OutputTokens);
    }

    [Theory]
    [InlineData(1_000_000, null)]
    [InlineData(1_000, 1_000)]
    public async Task UncappedRequest_GetsTheBudgetsCap_OnlyWhenTheBudgetLimitsTheReply(long maxOutputTokens, int? expectedCap)
    {
        var tracker = new BudgetTracker(new BudgetOptions { MaxOutputTokens = maxOutputTokens });
        var scripted = new ScriptedChatClient(_ => Reply.Text("<answer>42</answer>"));
        var agent = new ReActAgent(scripted, [], tracker);

        AgentRunResult result = await agent.RunAsync("What is the answer?");

        Assert.Equal(AgentRunStatus.Answered, result.Status);
        int? sent = scripted.Calls[0].Options?.MaxOutputTokens;
        if (expectedCap is null)
        {
            Assert.Null(sent);
        }
        else
        {
            Assert.NotNull(sent);
            Assert.True(sent <= expectedCap, $"cap {sent}");
        }
    }

    [Fact]
    public async Task ReplyWithoutUsage_IsChargedAnEstimate_NotTheWholeReservation()
    {
        var tracker = new BudgetTracker(new BudgetOptions { MaxOutputTokens = 100_000, MaxInputTokens = 1_000_000 });
        var scripted = new ScriptedChatClient(_ => new ChatResponse(new ChatMessage(ChatRole.Assistant, "<answer>42</answer>")));
        var agent = new ReActAgent(scripted, [], tracker);

        AgentRunResult result = await agent.RunAsync("What is the answer?");

        Assert.Equal(AgentRunStatus.Answered, result.Status);
        BudgetSnapshot snapshot = tracker.GetSnapshot();
        Assert.InRange(snapshot.OutputTokens, 1, 1_000);
        Assert.InRange(snapshot.InputTokens, 1, 100_000);
    }
}
