using Microsoft.Extensions.DependencyInjection;

namespace Agents.Budget.Tests.ChatClients;

/// <summary>Issue 15 (API shape): one <c>UseBudgetTracker</c> call counts and enforces; it finds the tracker in the services.</summary>
public sealed class BudgetChatClientBuilderExtensionsTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OneLayer_AroundFunctionInvocation_ReservesTheNextModelCall_AndAnswersFromTheReserve(bool streaming)
    {
        var tracker = new BudgetTracker(new BudgetOptions { MaxInputTokens = 250, FinalAnswerReserveTokens = 100, OnExhaustion = ExhaustionBehavior.FinalAnswerWithoutTools });
        int searches = 0;
        AIFunction search = AIFunctionFactory.Create(() => { searches++; return "found"; }, "search");
        var model = new ScriptedChatClient((_, o, turn) => o?.Tools is { Count: > 0 } ? Script.ToolCalls("search", 1, 0, 100, 1, turn) : Script.Answer("final", 100, 1));
        IChatClient client = new ChatClientBuilder(model)
            .UseBudgetTracker(tracker, o => o.PromptTokenCounter = (_, _) => 100)
            .UseFunctionInvocation()
            .Build();

        ChatResponse response = await Call(client, streaming, new ChatOptions { Tools = [search] });

        // Call 1 fits the 150 ordinary tokens; call 2 (another 100) does not, and is made without tools from the 100 held back.
        Assert.Equal(2, model.Calls.Count);
        Assert.NotNull(model.Calls[0].Options!.Tools);
        Assert.Null(model.Calls[1].Options!.Tools);
        Assert.Equal(1, searches);
        Assert.EndsWith("final", response.Text, StringComparison.Ordinal);
        Assert.Equal(200, tracker.GetSnapshot().InputTokens);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OneLayer_AroundFunctionInvocation_DoesNotMakeACallThatDoesNotFit(bool streaming)
    {
        var tracker = new BudgetTracker(new BudgetOptions { MaxInputTokens = 150, MaxOutputTokens = 1000 });
        AIFunction search = AIFunctionFactory.Create(() => "found", "search");
        var model = new ScriptedChatClient((_, o, turn) => Script.ToolCalls("search", 1, 0, 100, 1, turn));
        IChatClient client = new ChatClientBuilder(model)
            .UseBudgetTracker(tracker, o => o.PromptTokenCounter = (_, _) => 100)
            .UseFunctionInvocation()
            .Build();

        BudgetExhaustedException ex = await Assert.ThrowsAsync<BudgetExhaustedException>(() => Call(client, streaming, new ChatOptions { Tools = [search], MaxOutputTokens = 10 }));

        Assert.Contains("not made", ex.Message, StringComparison.Ordinal);
        Assert.Single(model.Calls);
        Assert.Equal(10, model.Calls[0].Options!.MaxOutputTokens);
        Assert.Equal((100, 1), (tracker.GetSnapshot().InputTokens, tracker.GetSnapshot().OutputTokens));
        using BudgetModelReservation rest = tracker.TryReserveModelCall(50, 999, null);
        Assert.True(rest.Granted, rest.DeniedReason);
    }

    [Fact]
    public async Task UseBudgetTracker_WithoutATracker_UsesTheOneInTheServices()
    {
        using ServiceProvider services = new ServiceCollection()
            .AddBudgetTracker(o => o.SetToolLimit("search", 1).AddToolMapping("search", "search"))
            .BuildServiceProvider();
        int searches = 0;
        AIFunction search = AIFunctionFactory.Create(() => { searches++; return "found"; }, "search");
        var model = new ScriptedChatClient((_, _, turn) => turn < 2 ? Script.ToolCalls("search", 1, 0, 10, 1, turn) : Script.Answer("done", 10, 1));
        IChatClient client = new ChatClientBuilder(model).UseBudgetTracker().UseFunctionInvocation().Build(services);

        await client.GetResponseAsync("go", new ChatOptions { Tools = [search] });

        BudgetTracker tracker = services.GetRequiredService<BudgetTracker>();
        Assert.Equal(1, searches);
        Assert.Equal(1, tracker.GetSnapshot().Categories.Single(c => c.Name == "search").Used);
        Assert.Equal(model.Calls.Count * 10, tracker.GetSnapshot().InputTokens);
    }

    [Fact]
    public void UseBudgetTracker_WithoutATracker_FailsToBuild_WithoutOneOrWithBadOptions()
    {
        var model = new ScriptedChatClient((_, _, _) => Script.Answer("x", 1, 1));
        using ServiceProvider none = new ServiceCollection().BuildServiceProvider();
        using ServiceProvider bad = new ServiceCollection().AddBudgetTracker(o => o.MaxCostUsd = -1m).BuildServiceProvider();

        InvalidOperationException missing = Assert.Throws<InvalidOperationException>(() => new ChatClientBuilder(model).UseBudgetTracker().Build(none));
        OptionsValidationException invalid = Assert.Throws<OptionsValidationException>(() => new ChatClientBuilder(model).UseBudgetTracker().Build(bad));

        Assert.Contains("AddBudgetTracker", missing.Message, StringComparison.Ordinal);
        Assert.Contains("MaxCostUsd", invalid.Message, StringComparison.Ordinal);
    }

    private static async Task<ChatResponse> Call(IChatClient client, bool streaming, ChatOptions options) =>
        streaming ? await client.GetStreamingResponseAsync("go", options).ToChatResponseAsync() : await client.GetResponseAsync("go", options);
}
