namespace Agents.Budget.Tests.ChatClients;

public sealed class BudgetChatClientTests
{
    private int _searchRuns;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Loop_ShowsBudgetBlockAfterEveryToolResult_AndStopsAtTheLimit(bool streaming)
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 10));
        var model = new ScriptedChatClient((messages, options, turn) => Script.ToolCalls(options!.Tools![0].Name, 1, 3, 100, 10, turn));
        IChatClient client = new ChatClientBuilder(model).UseBudgetTracker(tracker).UseFunctionInvocation().Build();

        List<ChatMessage> result = await Run(client, streaming, [SearchTool()]);

        // Calls 1-3 run (9 units); call 4 needs 3 with 1 left: refused, loop terminated.
        Assert.Equal(4, model.Calls.Count);
        Assert.Equal(3, _searchRuns);
        for (int turn = 1; turn < model.Calls.Count; turn++)
        {
            string seen = Script.LastToolResult(model.Calls[turn].Messages)!;
            Assert.Contains($"<budget>\nSearch used: {3 * turn}, remaining: {10 - (3 * turn)}", seen, StringComparison.Ordinal);
        }

        ChatMessage last = result[^1];
        Assert.Equal(ChatRole.Tool, last.Role);
        string refusal = last.Contents.OfType<FunctionResultContent>().Single().Result!.ToString()!;
        Assert.Contains("1 unit(s) left but this call needs 3", refusal, StringComparison.Ordinal);
        Assert.Contains("Search used: 9, remaining: 1", refusal, StringComparison.Ordinal);

        BudgetSnapshot s = tracker.GetSnapshot();
        Assert.Equal(9, s.GetCategory("search")!.Used);
        Assert.Equal(400, s.InputTokens);
        Assert.Equal(40, s.OutputTokens);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FinalAnswerWithoutTools_GivesTheModelOneCallWithoutTools(bool streaming)
    {
        var tracker = new BudgetTracker(new BudgetOptions { OnExhaustion = ExhaustionBehavior.FinalAnswerWithoutTools }.SetToolLimit("search", 6));
        var model = new ScriptedChatClient((messages, options, turn) =>
            options?.Tools is { Count: > 0 } tools ? Script.ToolCalls(tools[0].Name, 1, 3, 50, 5, turn) : Script.Answer("final answer", 70, 7));
        IChatClient client = new ChatClientBuilder(model).UseBudgetTracker(tracker).UseFunctionInvocation().Build();

        List<ChatMessage> result = await Run(client, streaming, [SearchTool()]);

        Assert.Equal(3, model.Calls.Count);
        Assert.Null(model.Calls[2].Options?.Tools);
        Assert.Contains("Search used: 6, remaining: 0", Script.LastToolResult(model.Calls[2].Messages), StringComparison.Ordinal);
        Assert.Equal("final answer", result[^1].Text);
        Assert.Equal(170, tracker.GetSnapshot().InputTokens);
        Assert.Equal(17, tracker.GetSnapshot().OutputTokens);
    }

    [Fact]
    public async Task NonStreaming_UsageOfAggregatedResponse_IsCountedOnce()
    {
        var tracker = new BudgetTracker(new BudgetOptions());
        var model = new ScriptedChatClient((messages, options, turn) =>
            turn < 3 ? Script.ToolCalls(options!.Tools![0].Name, 1, 1, 1000 + turn, 10, turn) : Script.Answer("done", 2000, 20));
        IChatClient client = new ChatClientBuilder(model).UseBudgetTracker(tracker).UseFunctionInvocation().Build();

        ChatResponse response = await client.GetResponseAsync("go", new ChatOptions { Tools = [SearchTool()] });

        Assert.Equal(1000 + 1001 + 1002 + 2000, response.Usage!.InputTokenCount);
        Assert.Equal(response.Usage.InputTokenCount, tracker.GetSnapshot().InputTokens);
        Assert.Equal(50, tracker.GetSnapshot().OutputTokens);
    }

    [Fact]
    public async Task UsageOnlyInnerLayer_CountsEachModelCall_AndDoesNotMakeACallBeyondTheTokenLimit()
    {
        var tracker = new BudgetTracker(new BudgetOptions { MaxInputTokens = 250 });
        var model = new ScriptedChatClient((messages, options, turn) => Script.ToolCalls(options!.Tools![0].Name, 1, 1, 100, 1, turn));
        IChatClient client = new ChatClientBuilder(model)
            .UseBudgetTracker(tracker, o => o.CountUsage = false)
            .UseFunctionInvocation()
            .UseBudgetTracker(tracker, o => { o.ChargeTools = false; o.PromptTokenCounter = (_, _) => 100; })
            .Build();

        BudgetExhaustedException ex = await Assert.ThrowsAsync<BudgetExhaustedException>(() => client.GetResponseAsync("go", new ChatOptions { Tools = [SearchTool()] }));

        // After 2 model calls 200 input tokens are counted: a 3rd prompt of 100 tokens does not fit the 50 left, so it is not made.
        Assert.Equal(2, model.Calls.Count);
        Assert.Equal(2, _searchRuns);
        Assert.Equal(200, tracker.GetSnapshot().InputTokens);
        Assert.Contains("100 input tokens but 50 of 250 are left", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExhaustedTracker_RefusesNewRequestWithClearException()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 1));
        tracker.TryReserve("search", 1).Commit();
        var model = new ScriptedChatClient((_, _, _) => Script.Answer("x", 1, 1));
        IChatClient client = new ChatClientBuilder(model).UseBudgetTracker(tracker).UseFunctionInvocation().Build();

        BudgetExhaustedException ex = await Assert.ThrowsAsync<BudgetExhaustedException>(() => client.GetResponseAsync("go"));
        Assert.Contains("search budget exhausted", ex.Message, StringComparison.Ordinal);
        Assert.Empty(model.Calls);
    }

    [Fact]
    public async Task BadUnitArgument_IsAToolResultNotAnException()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 10));
        var model = new ScriptedChatClient((messages, options, turn) => turn == 0
            ? new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c0", options!.Tools![0].Name, new Dictionary<string, object?> { ["queries"] = "not an array" })]))
            : Script.Answer("ok", 1, 1));
        IChatClient client = new ChatClientBuilder(model).UseBudgetTracker(tracker).UseFunctionInvocation().Build();

        ChatResponse response = await client.GetResponseAsync("go", new ChatOptions { Tools = [SearchTool()] });

        Assert.Equal("ok", response.Text);
        Assert.Contains("must be an array", Script.LastToolResult(model.Calls[1].Messages), StringComparison.Ordinal);
        Assert.Equal(0, _searchRuns);
        Assert.Equal(0, tracker.GetSnapshot().GetCategory("search")!.Used);
    }

    [Fact]
    public async Task ConcurrentInvocation_NeverOverspends()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 10));
        var model = new ScriptedChatClient((messages, options, turn) =>
            turn == 0 ? Script.ToolCalls(options!.Tools![0].Name, 6, 3, 10, 1, turn) : Script.Answer("done", 1, 1));
        int running = 0, maxRunning = 0;
        AIFunction slowSearch = AIFunctionFactory.Create(
            [BudgetCategory("search", UnitsArgument = "queries")] async (string[] queries) =>
            {
                int now = Interlocked.Increment(ref running);
                InterlockedMax(ref maxRunning, now);
                await Task.Delay(50);
                Interlocked.Decrement(ref running);
                Interlocked.Increment(ref _searchRuns);
                return $"{queries.Length} results";
            },
            "search");
        IChatClient client = new ChatClientBuilder(model).UseBudgetTracker(tracker).UseFunctionInvocation(configure: f => f.AllowConcurrentInvocation = true).Build();

        ChatResponse response = await client.GetResponseAsync("go", new ChatOptions { Tools = [slowSearch] });

        Assert.Equal(3, _searchRuns);
        Assert.True(maxRunning > 1, "tools ran concurrently");
        Assert.Equal(9, tracker.GetSnapshot().GetCategory("search")!.Used);
        Assert.Equal(3, Script.AllToolResults(response.Messages).Count(r => r.Contains("because of the budget", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task MappingToMissingUnitArgument_FailsBeforeTheModelIsCalled()
    {
        var tracker = new BudgetTracker(new BudgetOptions().AddToolMapping("search", "search", unitsArgument: "urls"));
        var model = new ScriptedChatClient((_, _, _) => Script.Answer("x", 1, 1));
        IChatClient client = new ChatClientBuilder(model).UseBudgetTracker(tracker).UseFunctionInvocation().Build();

        BudgetConfigurationException ex = await Assert.ThrowsAsync<BudgetConfigurationException>(() => client.GetResponseAsync("go", new ChatOptions { Tools = [SearchTool()] }));
        Assert.Contains("'urls'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("queries", ex.Message, StringComparison.Ordinal);
        Assert.Empty(model.Calls);
    }

    [Fact]
    public async Task ExhaustedTracker_WithFinalAnswerBehavior_AnswersWithoutTools()
    {
        var tracker = new BudgetTracker(new BudgetOptions { OnExhaustion = ExhaustionBehavior.FinalAnswerWithoutTools }.SetToolLimit("search", 1));
        tracker.TryReserve("search", 1).Commit();
        var model = new ScriptedChatClient((_, options, _) => Script.Answer(options?.Tools is null ? "no tools" : "tools", 1, 1));
        IChatClient client = new ChatClientBuilder(model).UseBudgetTracker(tracker).UseFunctionInvocation().Build();

        ChatResponse response = await client.GetResponseAsync("go", new ChatOptions { Tools = [SearchTool()] });

        Assert.Equal("no tools", response.Text);
    }

    [Fact]
    public async Task TimeLimit_StopsTheLoop()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var tracker = new BudgetTracker(new BudgetOptions { MaxDuration = TimeSpan.FromMinutes(1) }, time);
        var model = new ScriptedChatClient((messages, options, turn) => Script.ToolCalls(options!.Tools![0].Name, 1, 1, 1, 1, turn));
        AIFunction slow = AIFunctionFactory.Create(
            [BudgetCategory("search", UnitsArgument = "queries")] (string[] queries) =>
            {
                time.Advance(TimeSpan.FromSeconds(25));
                return "ok";
            },
            "search");
        IChatClient client = new ChatClientBuilder(model).UseBudgetTracker(tracker).UseFunctionInvocation().Build();

        ChatResponse response = await client.GetResponseAsync("go", new ChatOptions { Tools = [slow] });

        // 25 s, 50 s, 75 s: the third call ran past the limit and ended the loop.
        Assert.Equal(3, model.Calls.Count);
        Assert.Contains("Time used: 75s, remaining: 0s", Script.AllToolResults(response.Messages).Last(), StringComparison.Ordinal);
        Assert.Contains("time budget exhausted", Assert.Single(tracker.GetSnapshot().ExhaustedReasons), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MoneyLimit_CountsTokensAndUnits_AndStopsTheLoop()
    {
        var options = new BudgetOptions { MaxCostUsd = 0.01m };
        options.Pricing.SetModelPrice("fake-model", inputPerMTok: 10m, outputPerMTok: 10m);
        var tracker = new BudgetTracker(options);
        var model = new ScriptedChatClient((messages, o, turn) => Script.ToolCalls(o!.Tools![0].Name, 1, 2, 150, 50, turn));
        IChatClient client = new ChatClientBuilder(model).UseBudgetTracker(tracker).UseFunctionInvocation().Build();

        var updates = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("go", new ChatOptions { Tools = [SearchTool()] }))
        {
            updates.Add(update);
        }

        // Each turn: 200 tokens x $10/M = $0.002 plus 2 units x $0.001 = $0.004.
        BudgetSnapshot s = tracker.GetSnapshot();
        Assert.True(s.CostUsd <= 0.01m + 0.002m, $"cost {s.CostUsd}");
        Assert.Equal(s.TokenCostUsd, s.InputTokens * 10m / 1_000_000m + s.OutputTokens * 10m / 1_000_000m);
        Assert.Equal(s.ToolCostUsd, s.GetCategory("search")!.Used * 0.001m);
        Assert.True(s.GetCategory("search")!.Used >= 2);
        Assert.Contains("money budget", Script.AllToolResults(updates.ToChatResponse().Messages).Last(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CountUsageOff_LeavesTokensToTheCaller()
    {
        var tracker = new BudgetTracker(new BudgetOptions());
        var model = new ScriptedChatClient((_, _, _) => Script.Answer("x", 10, 10));
        IChatClient client = new ChatClientBuilder(model).UseBudgetTracker(tracker, o => o.CountUsage = false).UseFunctionInvocation().Build();
        await client.GetResponseAsync("go");
        await foreach (ChatResponseUpdate _ in client.GetStreamingResponseAsync("go"))
        {
        }

        Assert.Equal(0, tracker.GetSnapshot().InputTokens);
    }

    [Fact]
    public async Task AddGuideline_PutsTheRegimeGuidelineFirst_WithoutChangingTheCallersList()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 10));
        var model = new ScriptedChatClient((_, _, _) => Script.Answer("x", 1, 1));
        IChatClient client = new ChatClientBuilder(model).UseBudgetTracker(tracker, o => o.AddGuideline = true).UseFunctionInvocation().Build();
        List<ChatMessage> mine = [new(ChatRole.User, "go")];

        await client.GetResponseAsync(mine);

        Assert.Single(mine);
        ChatMessage first = model.Calls[0].Messages[0];
        Assert.Equal(ChatRole.System, first.Role);
        Assert.Contains("search 10 units", first.Text, StringComparison.Ordinal);
        Assert.Contains("HIGH (>= 70%", first.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Builder_RejectsNullArguments()
    {
        var tracker = new BudgetTracker(new BudgetOptions());
        Assert.Throws<ArgumentNullException>(() => BudgetChatClientBuilderExtensions.UseBudgetTracker(null!, tracker));
        Assert.Throws<ArgumentNullException>(() => new ChatClientBuilder(new ScriptedChatClient((_, _, _) => Script.Answer("x", 1, 1))).UseBudgetTracker((BudgetTracker)null!));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private static async Task<List<ChatMessage>> Run(IChatClient client, bool streaming, IList<AITool> tools)
    {
        var options = new ChatOptions { Tools = tools };
        if (!streaming)
        {
            return [.. (await client.GetResponseAsync("find it", options)).Messages];
        }

        var updates = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("find it", options))
        {
            updates.Add(update);
        }

        return [.. updates.ToChatResponse().Messages];
    }

    private AIFunction SearchTool() => AIFunctionFactory.Create(
        [BudgetCategory("search", UnitsArgument = "queries")] (string[] queries) =>
        {
            Interlocked.Increment(ref _searchRuns);
            return $"{queries.Length} results";
        },
        "search");
}
