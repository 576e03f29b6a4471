using System.ComponentModel;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using ChatMessageContent = Microsoft.SemanticKernel.ChatMessageContent;
using FunctionCallContent = Microsoft.Extensions.AI.FunctionCallContent;

namespace Agents.Budget.Tests.SemanticKernel;

public sealed class BudgetKernelExtensionsTests
{
    [Fact]
    public async Task AutoInvocation_ShowsBudgetBlockAfterEveryToolResult_AndTerminatesAtTheLimit()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 10));
        var plugin = new ResearchPlugin();
        var model = new ScriptedChatClient((messages, options, turn) => Script.ToolCalls(options!.Tools![0].Name, 1, 3, 100, 10, turn));
        (Kernel kernel, IChatCompletionService service) = Build(model, plugin, tracker);

        var history = new ChatHistory();
        history.AddUserMessage("find it");
        await service.GetChatMessageContentsAsync(history, AutoSettings(concurrent: false), kernel);

        Assert.Equal(4, model.Calls.Count);
        Assert.Equal(3, plugin.Runs);
        for (int turn = 1; turn < model.Calls.Count; turn++)
        {
            Assert.Contains($"<budget>\nSearch used: {3 * turn}, remaining: {10 - (3 * turn)}", Script.LastToolResult(model.Calls[turn].Messages), StringComparison.Ordinal);
        }

        Assert.Equal(9, tracker.GetSnapshot().GetCategory("search")!.Used);
        // The usage-only layer inside UseKernelFunctionInvocation counted each of the four model calls once.
        Assert.Equal(400, tracker.GetSnapshot().InputTokens);
        Assert.Equal(40, tracker.GetSnapshot().OutputTokens);
    }

    [Fact]
    public async Task Terminate_StopsWhenALimitIsReachedExactly()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 6));
        var plugin = new ResearchPlugin();
        var model = new ScriptedChatClient((messages, options, turn) => Script.ToolCalls(options!.Tools![0].Name, 1, 3, 10, 1, turn));
        (Kernel kernel, IChatCompletionService service) = Build(model, plugin, tracker);

        var history = new ChatHistory();
        history.AddUserMessage("find it");
        await service.GetChatMessageContentsAsync(history, AutoSettings(concurrent: false), kernel);

        Assert.Equal(2, model.Calls.Count);
        Assert.Equal(2, plugin.Runs);
        Assert.True(tracker.IsExhausted);
    }

    [Fact]
    public async Task FinalAnswerWithoutTools_RefusesOnceThenTerminatesOnTheNextRefusal()
    {
        var tracker = new BudgetTracker(new BudgetOptions { OnExhaustion = ExhaustionBehavior.FinalAnswerWithoutTools }.SetToolLimit("search", 3));
        var plugin = new ResearchPlugin();
        var model = new ScriptedChatClient((messages, options, turn) => Script.ToolCalls(options!.Tools![0].Name, 1, 3, 10, 1, turn));
        (Kernel kernel, IChatCompletionService service) = Build(model, plugin, tracker, usageLayer: false);

        var history = new ChatHistory();
        history.AddUserMessage("find it");
        await service.GetChatMessageContentsAsync(history, AutoSettings(concurrent: false), kernel);

        // Without a chat-client layer tools cannot be removed from the request:
        // Turn 0 runs (exhausting search), turn 1 is refused with "answer now", turn 2 is refused again: loop ends.
        Assert.Equal(3, model.Calls.Count);
        Assert.Equal(1, plugin.Runs);
        Assert.Contains("give your final answer now", Script.LastToolResult(model.Calls[2].Messages), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FinalAnswerWithoutTools_ModelThatAnswersAfterTheRefusal_Finishes()
    {
        var tracker = new BudgetTracker(new BudgetOptions { OnExhaustion = ExhaustionBehavior.FinalAnswerWithoutTools }.SetToolLimit("search", 3).SetToolLimit("browse", 5));
        var plugin = new ResearchPlugin();
        var model = new ScriptedChatClient((messages, options, turn) =>
            Script.LastToolResult(messages)?.Contains("final answer now", StringComparison.Ordinal) == true
                ? Script.Answer("my answer", 5, 5)
                : Script.ToolCalls(options!.Tools![0].Name, 1, 3, 10, 1, turn));
        (Kernel kernel, IChatCompletionService service) = Build(model, plugin, tracker, usageLayer: false);

        var history = new ChatHistory();
        history.AddUserMessage("find it");
        IReadOnlyList<ChatMessageContent> result = await service.GetChatMessageContentsAsync(history, AutoSettings(concurrent: false), kernel);

        Assert.Equal("my answer", result[^1].Content);
        Assert.Equal(3, model.Calls.Count);
    }

    [Fact]
    public async Task FinalAnswerWithoutTools_WithUsageLayer_RemovesToolsForTheFinalAnswer()
    {
        var tracker = new BudgetTracker(new BudgetOptions { OnExhaustion = ExhaustionBehavior.FinalAnswerWithoutTools }.SetToolLimit("search", 3));
        var plugin = new ResearchPlugin();
        var model = new ScriptedChatClient((messages, options, turn) =>
            options?.Tools is { Count: > 0 } tools ? Script.ToolCalls(tools[0].Name, 1, 3, 10, 1, turn) : Script.Answer("my answer", 5, 5));
        (Kernel kernel, IChatCompletionService service) = Build(model, plugin, tracker);

        var history = new ChatHistory();
        history.AddUserMessage("find it");
        IReadOnlyList<ChatMessageContent> result = await service.GetChatMessageContentsAsync(history, AutoSettings(concurrent: false), kernel);

        Assert.Equal("my answer", result[^1].Content);
        Assert.Equal(2, model.Calls.Count);
        Assert.Null(model.Calls[1].Options?.Tools);
        Assert.Contains("Search used: 3, remaining: 0", Script.LastToolResult(model.Calls[1].Messages), StringComparison.Ordinal);
        Assert.Equal(15, tracker.GetSnapshot().InputTokens);
    }

    [Fact]
    public async Task ConcurrentInvocation_NeverOverspends()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 10));
        var plugin = new ResearchPlugin { Delay = TimeSpan.FromMilliseconds(50) };
        var model = new ScriptedChatClient((messages, options, turn) =>
            turn == 0 ? Script.ToolCalls(options!.Tools![0].Name, 6, 3, 10, 1, turn) : Script.Answer("done", 1, 1));
        (Kernel kernel, IChatCompletionService service) = Build(model, plugin, tracker, concurrent: true);

        var history = new ChatHistory();
        history.AddUserMessage("find it");
        await service.GetChatMessageContentsAsync(history, AutoSettings(concurrent: true), kernel);

        Assert.Equal(3, plugin.Runs);
        Assert.True(plugin.MaxConcurrent > 1, "tools ran concurrently");
        Assert.Equal(9, tracker.GetSnapshot().GetCategory("search")!.Used);
        Assert.Single(model.Calls);
    }

    [Fact]
    public async Task BadUnitArgument_IsAToolResult_AndNothingIsCharged()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 10));
        var plugin = new ResearchPlugin();
        var model = new ScriptedChatClient((messages, options, turn) => turn == 0
            ? new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c0", options!.Tools![0].Name, new Dictionary<string, object?> { ["other"] = "x" })]))
            : Script.Answer("ok", 1, 1));
        (Kernel kernel, IChatCompletionService service) = Build(model, plugin, tracker);

        var history = new ChatHistory();
        history.AddUserMessage("find it");
        await service.GetChatMessageContentsAsync(history, AutoSettings(concurrent: false), kernel);

        Assert.Contains("without its 'queries' argument", Script.LastToolResult(model.Calls[1].Messages), StringComparison.Ordinal);
        Assert.Equal(0, plugin.Runs);
        Assert.Equal(0, tracker.GetSnapshot().GetCategory("search")!.Used);
    }

    [Fact]
    public async Task ManualInvocation_IsChargedWithoutChangingTheResult()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 2));
        var kernel = new Kernel();
        kernel.Plugins.AddFromObject(new ResearchPlugin(), "web");
        kernel.UseBudgetTracker(tracker);
        kernel.UseBudgetTracker(tracker);

        FunctionResult result = await kernel.InvokeAsync("web", "search", new KernelArguments { ["queries"] = new[] { "a", "b" } });

        Assert.Equal("2 results", result.GetValue<string>());
        Assert.Equal(2, tracker.GetSnapshot().GetCategory("search")!.Used);
        FunctionResult refused = await kernel.InvokeAsync("web", "search", new KernelArguments { ["queries"] = new[] { "c" } });
        Assert.Contains("search budget is exhausted", refused.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(kernel.FunctionInvocationFilters);
    }

    [Fact]
    public async Task CancelledOrFailingCalls_ReleaseTheirUnits()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 2));
        var kernel = new Kernel();
        kernel.Plugins.AddFromObject(new ResearchPlugin(), "web");
        kernel.Plugins.AddFromFunctions("bad", [KernelFunctionFactory.CreateFromMethod([BudgetCategory("search")] () => { throw new InvalidOperationException("boom"); }, "fail")]);
        kernel.UseBudgetTracker(tracker);

        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => kernel.InvokeAsync("web", "search", new KernelArguments { ["queries"] = new[] { "a" } }, cts.Token));
        await Assert.ThrowsAsync<InvalidOperationException>(() => kernel.InvokeAsync("bad", "fail"));

        BudgetCategorySnapshot s = tracker.GetSnapshot().GetCategory("search")!;
        Assert.Equal(0, s.Used);
        Assert.Equal(0, s.InFlight);
    }

    [Fact]
    public async Task OneTracker_SharedByTwoKernels_SpendsOneBudget()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 3));
        var first = new Kernel();
        first.Plugins.AddFromObject(new ResearchPlugin(), "web");
        first.UseBudgetTracker(tracker);
        var second = new Kernel();
        second.Plugins.AddFromObject(new ResearchPlugin(), "web");
        second.UseBudgetTracker(tracker);

        await first.InvokeAsync("web", "search", new KernelArguments { ["queries"] = new[] { "a", "b" } });
        FunctionResult refused = await second.InvokeAsync("web", "search", new KernelArguments { ["queries"] = new[] { "c", "d" } });
        await second.InvokeAsync("web", "search", new KernelArguments { ["queries"] = new[] { "e" } });

        Assert.Contains("1 unit(s) left but this call needs 2", refused.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(3, tracker.GetSnapshot().GetCategory("search")!.Used);
    }

    [Fact]
    public async Task KernelBuilder_AddBudgetTracker_RegistersFilters()
    {
        var tracker = new BudgetTracker(new BudgetOptions().AddToolMapping("web_*", "web"));
        IKernelBuilder builder = Kernel.CreateBuilder();
        builder.Plugins.AddFromObject(new ResearchPlugin(), "web");
        builder.AddBudgetTracker(tracker);
        Kernel kernel = builder.Build();

        await kernel.InvokeAsync("web", "search", new KernelArguments { ["queries"] = new[] { "a" } });

        Assert.Equal(1, tracker.GetSnapshot().GetCategory("web")!.Used);
    }

    [Fact]
    public void UseBudgetTracker_RejectsMappingToMissingUnitArgument()
    {
        var tracker = new BudgetTracker(new BudgetOptions().AddToolMapping("web.search", "search", unitsArgument: "urls"));
        var kernel = new Kernel();
        kernel.Plugins.AddFromObject(new ResearchPlugin(), "web");
        BudgetConfigurationException ex = Assert.Throws<BudgetConfigurationException>(() => kernel.UseBudgetTracker(tracker));
        Assert.Contains("'urls'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("queries", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => kernel.UseBudgetTracker(null!));
    }

    private static (Kernel Kernel, IChatCompletionService Service) Build(ScriptedChatClient model, ResearchPlugin plugin, BudgetTracker tracker, bool concurrent = false, bool usageLayer = true)
    {
        // The kernel filters charge tools; a usage-only BudgetChatClient inside function invocation counts each model call.
        ChatClientBuilder builder = new ChatClientBuilder(model).UseKernelFunctionInvocation();
        if (usageLayer)
        {
            builder.UseBudgetTracker(tracker, o => o.ChargeTools = false);
        }

        IChatClient client = builder.Build();
        client.GetService<FunctionInvokingChatClient>()!.AllowConcurrentInvocation = concurrent;
        var kernel = new Kernel();
        kernel.Plugins.AddFromObject(plugin, "web");
        kernel.UseBudgetTracker(tracker, o => o.CountUsage = !usageLayer);
        return (kernel, client.AsChatCompletionService());
    }

    private static PromptExecutionSettings AutoSettings(bool concurrent) => new()
    {
        FunctionChoiceBehavior = FunctionChoiceBehavior.Auto(options: new FunctionChoiceBehaviorOptions { AllowConcurrentInvocation = concurrent }),
    };

    public sealed class ResearchPlugin
    {
        private int _runs;
        private int _running;
        private int _maxConcurrent;

        public TimeSpan Delay { get; init; }

        public int Runs => Volatile.Read(ref _runs);

        public int MaxConcurrent => Volatile.Read(ref _maxConcurrent);

        [KernelFunction("search")]
        [Description("Searches the web; one unit per query.")]
        [BudgetCategory("search", UnitsArgument = "queries")]
        public async Task<string> SearchAsync(string[] queries)
        {
            int now = Interlocked.Increment(ref _running);
            int seen;
            while (now > (seen = Volatile.Read(ref _maxConcurrent)) && Interlocked.CompareExchange(ref _maxConcurrent, now, seen) != seen)
            {
            }

            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay);
            }

            Interlocked.Decrement(ref _running);
            Interlocked.Increment(ref _runs);
            return $"{queries.Length} results";
        }
    }
}
