using System.ComponentModel;
using Agents.Budget.Tests.Fakes;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Agents.Budget.Tests.SemanticKernel;

/// <summary>The SK filter path: every model call's usage (100 in, 10 out each) is counted once, whatever the outcome.</summary>
public sealed class KernelUsageOnFailureTests
{
    public enum Setup
    {
        /// <summary>The documented set-up: a usage layer inside UseKernelFunctionInvocation, the filter not counting.</summary>
        UsageLayerInside,

        /// <summary>The usage layer outside UseKernelFunctionInvocation (the chat-client order), the filter not counting.</summary>
        UsageLayerOutside,
    }

    public enum Outcome
    {
        Completes,
        ToolThrows,
        CancelledDuringTool,
    }

    public static TheoryData<Setup, bool, Outcome> Cases()
    {
        var data = new TheoryData<Setup, bool, Outcome>();
        foreach (Setup setup in Enum.GetValues<Setup>())
        {
            foreach (bool streaming in new[] { false, true })
            {
                foreach (Outcome outcome in Enum.GetValues<Outcome>())
                {
                    data.Add(setup, streaming, outcome);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EveryModelCall_IsCountedOnce(Setup setup, bool streaming, Outcome outcome)
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 100));
        var model = new ScriptedChatClient((messages, options, turn) =>
            turn < 3 ? Script.ToolCalls(options!.Tools![0].Name, 1, 1, 100, 10, turn) : Script.Answer("done", 100, 10));
        using var cts = new CancellationTokenSource();
        var plugin = new FailingPlugin(outcome, cts);
        IChatClient client = setup == Setup.UsageLayerInside
            ? new ChatClientBuilder(model).UseKernelFunctionInvocation().UseBudgetTracker(tracker, o => o.ChargeTools = false).Build()
            : new ChatClientBuilder(model).UseBudgetTracker(tracker, o => o.ChargeTools = false).UseKernelFunctionInvocation().Build();
        client.GetService<FunctionInvokingChatClient>()!.MaximumConsecutiveErrorsPerRequest = 0;
        var kernel = new Kernel();
        kernel.Plugins.AddFromObject(plugin, "web");
        kernel.UseBudgetTracker(tracker, o => o.CountUsage = false);
        IChatCompletionService service = client.AsChatCompletionService();
        var history = new ChatHistory();
        history.AddUserMessage("find it");
        var settings = new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };

        Task run = streaming
            ? Drain(service.GetStreamingChatMessageContentsAsync(history, settings, kernel, cts.Token))
            : service.GetChatMessageContentsAsync(history, settings, kernel, cts.Token);
        switch (outcome)
        {
            case Outcome.Completes:
                await run;
                break;
            case Outcome.ToolThrows:
                await Assert.ThrowsAnyAsync<InvalidOperationException>(() => run);
                break;
            default:
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
                break;
        }

        int calls = outcome switch { Outcome.Completes => 4, Outcome.ToolThrows => 3, _ => 2 };
        Assert.Equal(calls, model.Calls.Count);
        Assert.Equal(100 * calls, tracker.GetSnapshot().InputTokens);
        Assert.Equal(10 * calls, tracker.GetSnapshot().OutputTokens);
    }

    private static async Task Drain(IAsyncEnumerable<StreamingChatMessageContent> updates)
    {
        await foreach (StreamingChatMessageContent update in updates)
        {
            Assert.NotNull(update);
        }
    }

    public sealed class FailingPlugin(Outcome outcome, CancellationTokenSource cts)
    {
        private int _runs;

        [KernelFunction("search")]
        [Description("Searches the web; one unit per query.")]
        [BudgetCategory("search", UnitsArgument = "queries")]
        public async Task<string> SearchAsync(string[] queries, CancellationToken cancellationToken)
        {
            int run = Interlocked.Increment(ref _runs);
            if (outcome == Outcome.ToolThrows && run == 3)
            {
                throw new InvalidOperationException("the search backend failed");
            }

            if (outcome == Outcome.CancelledDuringTool && run == 2)
            {
                await cts.CancelAsync();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return $"{queries.Length} results";
        }
    }
}
