using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using OpenAI.Chat;
using ChatMessageContent = Microsoft.SemanticKernel.ChatMessageContent;

namespace Agents.Budget.Tests.SemanticKernel;

public sealed class BudgetKernelFilterTests
{
    [Fact]
    public async Task AutoFilter_CountsConnectorUsageOncePerAssistantMessage()
    {
        var tracker = new BudgetTracker(new BudgetOptions());
        var filter = new BudgetKernelFilter(tracker, new BudgetKernelOptions { CountUsage = true });
        ChatTokenUsage usage = OpenAIChatModelFactory.ChatTokenUsage(outputTokenCount: 20, inputTokenCount: 100, totalTokenCount: 120);
        var message = new ChatMessageContent(AuthorRole.Assistant, "calls", modelId: "gpt", metadata: new Dictionary<string, object?> { ["Usage"] = usage });

        // Two function calls of the same assistant message: its usage is counted once.
        await filter.OnAutoFunctionInvocationAsync(Context(message), _ => Task.CompletedTask);
        await filter.OnAutoFunctionInvocationAsync(Context(message), _ => Task.CompletedTask);

        Assert.Equal(100, tracker.GetSnapshot().InputTokens);
        Assert.Equal(20, tracker.GetSnapshot().OutputTokens);
    }

    [Fact]
    public async Task AutoFilter_IgnoresUnknownUsageShapes_AndCanBeTurnedOff()
    {
        var tracker = new BudgetTracker(new BudgetOptions());
        var message = new ChatMessageContent(AuthorRole.Assistant, "calls", metadata: new Dictionary<string, object?> { ["Usage"] = "odd" });
        await new BudgetKernelFilter(tracker, new BudgetKernelOptions { CountUsage = true }).OnAutoFunctionInvocationAsync(Context(message), _ => Task.CompletedTask);

        var counted = new ChatMessageContent(AuthorRole.Assistant, "calls", metadata: new Dictionary<string, object?> { ["Usage"] = new UsageDetails { InputTokenCount = 5 } });
        await new BudgetKernelFilter(tracker, new BudgetKernelOptions { CountUsage = false }).OnAutoFunctionInvocationAsync(Context(counted), _ => Task.CompletedTask);

        Assert.Equal(0, tracker.GetSnapshot().InputTokens);
    }

    private static AutoFunctionInvocationContext Context(ChatMessageContent message)
    {
        var kernel = new Kernel();
        KernelFunction function = KernelFunctionFactory.CreateFromMethod(() => "x", "f");
        var history = new ChatHistory();
        history.Add(message);
        return new AutoFunctionInvocationContext(kernel, function, new FunctionResult(function), history, message);
    }
}
