namespace Agents.Budget.Tests.ChatClients;

/// <summary>Every inner model call's usage (100 in, 10 out each) is counted exactly once, whatever the request's outcome.</summary>
public sealed class UsageOnFailureTests
{
    public enum Order
    {
        /// <summary>The documented order: <c>UseBudgetTracker().UseFunctionInvocation()</c>.</summary>
        BudgetOutside,

        /// <summary><c>UseFunctionInvocation().UseBudgetTracker()</c>.</summary>
        BudgetInside,

        /// <summary>Both layers on one tracker, both counting usage.</summary>
        Both,
    }

    public static TheoryData<Order, bool, ToolOutcome> Cases() => FailingSearch.Cases<Order>();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EveryModelCall_IsCountedOnce(Order order, bool streaming, ToolOutcome outcome)
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 100));
        using var cts = new CancellationTokenSource();
        var search = new FailingSearch(outcome, cts);
        AIFunction tool = AIFunctionFactory.Create(
            [BudgetCategory("search", UnitsArgument = "queries")] (string[] queries, CancellationToken cancellationToken) => search.SearchAsync(queries, cancellationToken),
            "search");
        IChatClient client = Build(search.Model, tracker, order);

        Exception? thrown = await search.AwaitAsync(Run(client, streaming, tool, cts.Token));
        if (outcome == ToolOutcome.ToolThrows)
        {
            Assert.Equal("the search backend failed", Assert.IsType<InvalidOperationException>(thrown).Message);
        }

        search.AssertEveryCallCountedOnce(tracker);
    }

    [Fact]
    public async Task NonStreaming_DocumentedOrder_ReturnsTheWholeConversation_WithTheSummedUsage()
    {
        var tracker = new BudgetTracker(new BudgetOptions());
        var model = new ScriptedChatClient((messages, options, turn) =>
            turn < 2 ? Script.ToolCalls(options!.Tools![0].Name, 1, 1, 100, 10, turn) : Script.Answer("the answer", 100, 10));
        AIFunction tool = AIFunctionFactory.Create((string[] queries) => $"{queries.Length} results", "search");
        IChatClient client = Build(model, tracker, Order.BudgetOutside);

        ChatResponse response = await client.GetResponseAsync("go", new ChatOptions { Tools = [tool] });

        Assert.Equal("the answer", response.Text);
        Assert.Equal([ChatRole.Assistant, ChatRole.Tool, ChatRole.Assistant, ChatRole.Tool, ChatRole.Assistant], response.Messages.Select(m => m.Role));
        Assert.Equal(300, response.Usage!.InputTokenCount);
        Assert.Equal(30, response.Usage.OutputTokenCount);
        Assert.Equal(300, tracker.GetSnapshot().InputTokens);
        Assert.All(model.Calls, c => Assert.NotNull(c.Options));
    }

    [Fact]
    public async Task ModelWithoutStreaming_BelowFunctionInvocation_IsCountedPerCall()
    {
        var tracker = new BudgetTracker(new BudgetOptions());
        var model = new NonStreamingOnlyClient(new ScriptedChatClient((messages, options, turn) =>
            turn < 2 ? Script.ToolCalls(options!.Tools![0].Name, 1, 1, 100, 10, turn) : Script.Answer("the answer", 100, 10)));
        AIFunction tool = AIFunctionFactory.Create((string[] queries) => $"{queries.Length} results", "search");
        IChatClient client = new ChatClientBuilder(model).UseFunctionInvocation().UseBudgetTracker(tracker).Build();

        ChatResponse response = await client.GetResponseAsync("go", new ChatOptions { Tools = [tool] });

        Assert.Equal("the answer", response.Text);
        Assert.Equal(300, tracker.GetSnapshot().InputTokens);
        Assert.Equal(30, tracker.GetSnapshot().OutputTokens);
    }

    [Fact]
    public async Task SubAgentRequestInsideATool_IsCountedAsItsOwnRequest()
    {
        var tracker = new BudgetTracker(new BudgetOptions());
        var subModel = new ScriptedChatClient((_, _, _) => Script.Answer("sub answer", 7, 3));
        IChatClient subAgent = new ChatClientBuilder(subModel).UseBudgetTracker(tracker).Build();
        var model = new ScriptedChatClient((messages, options, turn) =>
            turn == 0 ? Script.ToolCalls(options!.Tools![0].Name, 1, 1, 100, 10, turn) : Script.Answer("done", 100, 10));
        AIFunction tool = AIFunctionFactory.Create(
            async (string[] queries, CancellationToken cancellationToken) => (await subAgent.GetResponseAsync("help", cancellationToken: cancellationToken)).Text,
            "search");
        IChatClient client = new ChatClientBuilder(model).UseBudgetTracker(tracker).UseFunctionInvocation().Build();

        await client.GetResponseAsync("go", new ChatOptions { Tools = [tool] });

        Assert.Equal(207, tracker.GetSnapshot().InputTokens);
        Assert.Equal(23, tracker.GetSnapshot().OutputTokens);
    }

    private static IChatClient Build(IChatClient model, BudgetTracker tracker, Order order)
    {
        var builder = new ChatClientBuilder(model);
        switch (order)
        {
            case Order.BudgetOutside:
                builder.UseBudgetTracker(tracker).UseFunctionInvocation(configure: f => f.MaximumConsecutiveErrorsPerRequest = 0);
                break;
            case Order.BudgetInside:
                builder.UseFunctionInvocation(configure: f => f.MaximumConsecutiveErrorsPerRequest = 0).UseBudgetTracker(tracker);
                break;
            default:
                builder.UseBudgetTracker(tracker).UseFunctionInvocation(configure: f => f.MaximumConsecutiveErrorsPerRequest = 0).UseBudgetTracker(tracker, o => o.ChargeTools = false);
                break;
        }

        return builder.Build();
    }

    private static async Task Run(IChatClient client, bool streaming, AIFunction tool, CancellationToken cancellationToken)
    {
        var options = new ChatOptions { Tools = [tool] };
        if (!streaming)
        {
            await client.GetResponseAsync("find it", options, cancellationToken);
            return;
        }

        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("find it", options, cancellationToken))
        {
            Assert.NotNull(update);
        }
    }

    /// <summary>A model whose streaming API is not to be used.</summary>
    private sealed class NonStreamingOnlyClient(IChatClient inner) : DelegatingChatClient(inner)
    {
        public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("streaming was not asked for");
    }
}
