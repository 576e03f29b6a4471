using System.ComponentModel;
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

    public static TheoryData<Setup, bool, ToolOutcome> Cases() => FailingSearch.Cases<Setup>();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EveryModelCall_IsCountedOnce(Setup setup, bool streaming, ToolOutcome outcome)
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 100));
        using var cts = new CancellationTokenSource();
        var search = new FailingSearch(outcome, cts);
        var plugin = new FailingPlugin(search);
        IChatClient client = setup == Setup.UsageLayerInside
            ? new ChatClientBuilder(search.Model).UseKernelFunctionInvocation().UseBudgetTracker(tracker, o => o.ChargeTools = false).Build()
            : new ChatClientBuilder(search.Model).UseBudgetTracker(tracker, o => o.ChargeTools = false).UseKernelFunctionInvocation().Build();
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
        await search.AwaitAsync(run);

        search.AssertEveryCallCountedOnce(tracker);
    }

    private static async Task Drain(IAsyncEnumerable<StreamingChatMessageContent> updates)
    {
        await foreach (StreamingChatMessageContent update in updates)
        {
            Assert.NotNull(update);
        }
    }

    internal sealed class FailingPlugin(FailingSearch search)
    {
        [KernelFunction("search")]
        [Description("Searches the web; one unit per query.")]
        [BudgetCategory("search", UnitsArgument = "queries")]
        public Task<string> SearchAsync(string[] queries, CancellationToken cancellationToken) => search.SearchAsync(queries, cancellationToken);
    }
}
