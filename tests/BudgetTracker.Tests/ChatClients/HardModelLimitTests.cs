namespace Agents.Budget.Tests.ChatClients;

/// <summary>Issue 14 item 5: every model call's worst case is reserved before it is made.</summary>
public sealed class HardModelLimitTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OutputCap_IsLoweredToTheOutputTokensLeft(bool streaming)
    {
        var tracker = new BudgetTracker(new BudgetOptions { MaxOutputTokens = 100 });
        var model = new ScriptedChatClient((_, options, _) => Script.Answer("a", 10, Math.Min(60, options!.MaxOutputTokens!.Value)));
        IChatClient client = new ChatClientBuilder(model).UseBudgetTracker(tracker).Build();

        await Call(client, streaming, new ChatOptions { MaxOutputTokens = 500 });
        await Call(client, streaming, new ChatOptions { MaxOutputTokens = 500 });

        Assert.Equal(100, model.Calls[0].Options!.MaxOutputTokens);
        Assert.Equal(40, model.Calls[1].Options!.MaxOutputTokens);
        Assert.Equal(100, tracker.GetSnapshot().OutputTokens);
        BudgetExhaustedException ex = await Assert.ThrowsAsync<BudgetExhaustedException>(() => Call(client, streaming, new ChatOptions { MaxOutputTokens = 500 }));
        Assert.Contains("output token", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, model.Calls.Count);
    }

    [Fact]
    public async Task OutputCap_IsLoweredToWhatTheMoneyLeftPaysFor_AtTheModelsPrice()
    {
        var options = new BudgetOptions { MaxCostUsd = 0.001m };
        options.Pricing.SetModelPrice("m", inputPerMTok: 1, outputPerMTok: 10);
        var tracker = new BudgetTracker(options);
        var model = new ScriptedChatClient((_, o, _) => Script.Answer("a", 20, 5));
        IChatClient client = new ChatClientBuilder(model).UseBudgetTracker(tracker, o => o.PromptTokenCounter = (_, _) => 20).Build();

        await client.GetResponseAsync("go", new ChatOptions { ModelId = "m" });

        // $0.001 less 20 prompt tokens at $1/M leaves $0.00098: 98 output tokens at $10/M.
        Assert.Equal(98, model.Calls[0].Options!.MaxOutputTokens);
        Assert.Equal(0.00007m, tracker.GetSnapshot().TokenCostUsd);
    }

    [Fact]
    public async Task ReservedModelCall_HoldsMoneyThatToolsCannotSpend()
    {
        var options = new BudgetOptions { MaxCostUsd = 0.01m }.SetToolLimit("search", 100);
        options.Pricing.SetDefaultModelPrice(inputPerMTok: 0, outputPerMTok: 1000);
        options.Pricing.SetUnitPrice("search", 0.001m);
        var tracker = new BudgetTracker(options);

        using BudgetModelReservation call = tracker.TryReserveModelCall(promptTokens: 10, maxOutputTokens: 9, modelId: null);
        Assert.True(call.Granted);
        Assert.Equal(0.009m, call.ReservedCostUsd);
        Assert.True(tracker.TryReserve("search", 1).Granted);
        Assert.False(tracker.TryReserve("search", 1).Granted);

        call.Commit(new UsageDetails { InputTokenCount = 10, OutputTokenCount = 4 });
        Assert.Equal(0.004m, tracker.GetSnapshot().TokenCostUsd);
        Assert.True(tracker.TryReserve("search", 5).Granted);
    }

    [Fact]
    public async Task FailedCall_ReleasesItsReservation()
    {
        var tracker = new BudgetTracker(new BudgetOptions { MaxInputTokens = 100, MaxOutputTokens = 50 });
        var model = new ScriptedChatClient((_, _, _) => throw new InvalidOperationException("server error"));
        IChatClient client = new ChatClientBuilder(model).UseBudgetTracker(tracker, o => o.PromptTokenCounter = (_, _) => 90).Build();

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync("go"));

        Assert.Equal(50, model.Calls[0].Options!.MaxOutputTokens);
        using BudgetModelReservation all = tracker.TryReserveModelCall(100, 50, null);
        Assert.True(all.Granted, all.DeniedReason);
        Assert.Equal(0, tracker.GetSnapshot().InputTokens);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CallThatDoesNotFit_BecomesTheFinalAnswerFromItsReserve(bool streaming)
    {
        var options = new BudgetOptions { MaxInputTokens = 250, FinalAnswerReserveTokens = 100, OnExhaustion = ExhaustionBehavior.FinalAnswerWithoutTools };
        var tracker = new BudgetTracker(options);
        int searches = 0;
        AIFunction search = AIFunctionFactory.Create(() => { searches++; return "found"; }, "search");
        var model = new ScriptedChatClient((_, o, turn) => o?.Tools is { Count: > 0 } ? Script.ToolCalls("search", 1, 0, 100, 1, turn) : Script.Answer("final", 100, 1));
        IChatClient client = new ChatClientBuilder(model)
            .UseFunctionInvocation()
            .UseBudgetTracker(tracker, o => o.PromptTokenCounter = (_, _) => 100)
            .Build();

        ChatResponse response = await Call(client, streaming, new ChatOptions { Tools = [search] });

        // Call 1 fits the 150 ordinary tokens; call 2 does not, and is made without tools from the 100 held back.
        Assert.Equal(2, model.Calls.Count);
        Assert.Null(model.Calls[1].Options!.Tools);
        Assert.Equal(1, searches);
        Assert.Equal("final", response.Text);
        Assert.Equal(200, tracker.GetSnapshot().InputTokens);
    }

    [Fact]
    public void FinalAnswerReserve_IsKeptFromOrdinaryCallsOnly()
    {
        var tracker = new BudgetTracker(new BudgetOptions { MaxOutputTokens = 100, FinalAnswerReserveTokens = 30 });

        using BudgetModelReservation ordinary = tracker.TryReserveModelCall(0, null, null);
        Assert.Equal(70, ordinary.MaxOutputTokens);
        Assert.False(tracker.TryReserveModelCall(0, null, null).Granted);
        using BudgetModelReservation final = tracker.TryReserveModelCall(0, null, null, finalAnswer: true);
        Assert.Equal(30, final.MaxOutputTokens);
    }

    [Fact]
    public void ToolCalls_CannotSpendTheMoneyHeldForTheFinalAnswer()
    {
        var options = new BudgetOptions { MaxCostUsd = 0.01m, FinalAnswerReserveUsd = 0.005m }.AddCategory("search");
        options.Pricing.SetUnitPrice("search", 0.001m).SetDefaultModelPrice(0, 1000);
        var tracker = new BudgetTracker(options);

        Assert.True(tracker.TryReserve("search", 5).Granted);
        BudgetReservation refused = tracker.TryReserve("search", 1);
        using BudgetModelReservation final = tracker.TryReserveModelCall(0, null, null, finalAnswer: true);

        Assert.False(refused.Granted);
        Assert.False(tracker.TryReserveModelCall(0, null, null).Granted);
        Assert.Equal(5, final.MaxOutputTokens);
    }

    [Fact]
    public async Task ChildBudgetClient_IsCappedByTheParentsRemainder_AndItsSpendFlowsUp()
    {
        var parent = new BudgetTracker(new BudgetOptions { MaxOutputTokens = 120 });
        BudgetTracker writer = parent.CreateChild(new BudgetOptions { MaxOutputTokens = 1000 });
        parent.RecordUsage(new UsageDetails { InputTokenCount = 5, OutputTokenCount = 100 });
        var model = new ScriptedChatClient((_, o, _) => Script.Answer("report", 7, o!.MaxOutputTokens!.Value));
        IChatClient client = new ChatClientBuilder(model).UseBudgetTracker(writer).Build();

        await client.GetResponseAsync("write", new ChatOptions { MaxOutputTokens = 800 });

        Assert.Equal(20, model.Calls[0].Options!.MaxOutputTokens);
        Assert.Equal(120, parent.GetSnapshot().OutputTokens);
        Assert.Equal(20, writer.GetSnapshot().OutputTokens);
        await Assert.ThrowsAsync<BudgetExhaustedException>(() => client.GetResponseAsync("more"));
    }

    [Theory]
    [InlineData(100L, null, 0)]
    [InlineData(null, 100L, 0)]
    [InlineData(null, null, 1)]
    public void FinalAnswerReserve_MustBeSmallerThanItsLimit(long? maxInput, long? maxOutput, int costLimit)
    {
        var options = new BudgetOptions { MaxInputTokens = maxInput, MaxOutputTokens = maxOutput, MaxCostUsd = costLimit == 0 ? null : costLimit };
        if (costLimit == 0)
        {
            options.FinalAnswerReserveTokens = 100;
        }
        else
        {
            options.FinalAnswerReserveUsd = costLimit;
        }

        Assert.Throws<OptionsValidationException>(() => new BudgetTracker(options));
    }

    [Fact]
    public void Estimator_CountsEveryByteOfTextAndTools()
    {
        AIFunction tool = AIFunctionFactory.Create((string query) => query, "search", "Searches the web.");
        ChatMessage[] messages = [new(ChatRole.User, "héllo"), new(ChatRole.Assistant, [new FunctionCallContent("c1", "search", new Dictionary<string, object?> { ["query"] = "x" })])];

        long withTools = PromptTokenEstimator.Estimate(messages, new ChatOptions { Tools = [tool] });
        long without = PromptTokenEstimator.Estimate(messages, null);

        Assert.True(without >= PromptTokenEstimator.TokensPerRequest + (2 * PromptTokenEstimator.TokensPerMessage) + 6 + "c1search{\"query\":\"x\"}".Length, $"{without}");
        Assert.True(withTools >= without + tool.JsonSchema.GetRawText().Length + "Searches the web.".Length);
    }

    private static async Task<ChatResponse> Call(IChatClient client, bool streaming, ChatOptions options) =>
        streaming ? await client.GetStreamingResponseAsync("go", options).ToChatResponseAsync() : await client.GetResponseAsync("go", options);
}
