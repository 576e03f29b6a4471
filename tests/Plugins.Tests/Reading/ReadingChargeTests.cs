using Microsoft.SemanticKernel;

namespace Agents.Plugins.Tests.Reading;

/// <summary>Issue 14 item 3: a reading tool called by a run charges that run's tracker its tokens, reserved first.</summary>
public sealed class ReadingChargeTests
{
    private const string Page = "The dam was finished in 1936 and is 221 m high.";

    [Fact]
    public async Task A_reading_tool_charges_the_calling_runs_tracker_its_tokens_with_a_plain_client()
    {
        var scripted = new ScriptedChatClient(_ => ModelReply.Text("Answer: 221 m\nQuote: \"221 m high\""));
        KernelPlugin plugin = KernelPluginFactory.CreateFromObject(new ModelReaderPlugin(scripted), "reader");
        var first = new BudgetTracker(new BudgetOptions().SetToolLimit(ModelReaderPlugin.Category, 5));
        var second = new BudgetTracker(new BudgetOptions().SetToolLimit(ModelReaderPlugin.Category, 5));
        var arguments = new AIFunctionArguments { ["text"] = Page, ["question"] = "How high is the dam?" };

        await first.InvokeToolAsync(plugin["answer_from_text"], arguments, CancellationToken.None);
        await first.InvokeToolAsync(plugin["answer_from_text"], arguments, CancellationToken.None);
        await second.InvokeToolAsync(plugin["answer_from_text"], arguments, CancellationToken.None);

        Assert.Equal(100, first.GetSnapshot().InputTokens);
        Assert.Equal(10, first.GetSnapshot().OutputTokens);
        Assert.Equal(50, second.GetSnapshot().InputTokens);
        Assert.Equal(1, second.GetSnapshot().GetCategory(ModelReaderPlugin.Category)!.Used);
    }

    [Fact]
    public async Task A_reading_call_that_does_not_fit_the_runs_token_budget_is_not_made()
    {
        var scripted = new ScriptedChatClient(_ => ModelReply.Text("Answer: 221 m"));
        KernelPlugin plugin = KernelPluginFactory.CreateFromObject(new ModelReaderPlugin(scripted), "reader");
        var options = new BudgetOptions().SetToolLimit(ModelReaderPlugin.Category, 5);
        options.MaxInputTokens = 5;
        var tracker = new BudgetTracker(options);

        BudgetedToolResult result = await tracker.InvokeToolAsync(plugin["answer_from_text"], new AIFunctionArguments { ["text"] = Page, ["question"] = "How high?" }, CancellationToken.None);

        Assert.Empty(scripted.Calls);
        Assert.Contains("answer_from_text: the reading model was not asked", result.Result, StringComparison.Ordinal);
        Assert.Equal(0, tracker.GetSnapshot().InputTokens);
    }
}
