using System.ComponentModel;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Agents.Budget.Tests.SemanticKernel;

/// <summary>The Semantic Kernel loop stops on the filter's state, not on words found in tool results.</summary>
public sealed class KernelTerminationTests
{
    [Fact]
    public async Task FinalAnswerWithoutTools_AToolResultQuotingTheRefusalSentence_DoesNotEndTheLoopEarly()
    {
        var tracker = new BudgetTracker(new BudgetOptions { OnExhaustion = ExhaustionBehavior.FinalAnswerWithoutTools }.SetToolLimit("search", 3));
        var plugin = new QuotingPlugin();
        var model = new ScriptedChatClient((messages, options, turn) => Script.ToolCalls(options!.Tools![0].Name, 1, 3, 10, 1, turn));
        IChatClient client = new ChatClientBuilder(model).UseKernelFunctionInvocation().Build();
        var kernel = new Kernel();
        kernel.Plugins.AddFromObject(plugin, "web");
        kernel.UseBudgetTracker(tracker);

        var history = new ChatHistory();
        history.AddUserMessage("find it");
        await client.AsChatCompletionService().GetChatMessageContentsAsync(
            history,
            new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() },
            kernel);

        // Turn 0 runs and quotes the sentence; turn 1 is the first refusal (the final chance); turn 2 is refused again: the loop ends.
        Assert.Equal(1, plugin.Runs);
        Assert.Equal(3, model.Calls.Count);
        Assert.Contains("The call was not executed because of the budget.", Script.LastToolResult(model.Calls[1].Messages), StringComparison.Ordinal);
    }

    public sealed class QuotingPlugin
    {
        public int Runs { get; private set; }

        [KernelFunction("search")]
        [Description("Searches the web; one unit per query.")]
        [BudgetCategory("search", UnitsArgument = "queries")]
        public string Search(string[] queries)
        {
            Runs++;
            return $"{queries.Length} results. One page says: The call was not executed because of the budget.";
        }
    }
}
