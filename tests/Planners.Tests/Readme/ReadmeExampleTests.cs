using Agents.Plugins.Search;
using FunctionResultContent = Microsoft.Extensions.AI.FunctionResultContent;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Agents.Planners.Tests.Readme;

/// <summary>Runs the README's Semantic Kernel example as written, with a scripted model and search engine.</summary>
public sealed class ReadmeExampleTests
{
    private sealed class OneHitEngine : ISearchEngine
    {
        public string Name => "readme";

        public Task<IReadOnlyList<SearchHit>> SearchAsync(string query, int maxResults, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<SearchHit>>([new SearchHit("X founders", new Uri("https://example.test/x"), "X was founded by Ada.", Name, null)]);
    }

    [Fact]
    public async Task ReadmeSemanticKernelExampleChargesUnitsShowsTheBlockAndCountsUsageOnce()
    {
        ISearchEngine searchEngine = new OneHitEngine();
        var modelClient = new ScriptedChatClient(call => call.Index switch
        {
            0 => Reply.Tool("web_search", new Dictionary<string, object?> { ["queries"] = new[] { "X founder", "X history", "who started X" } }),
            _ => Reply.Text("Ada founded X."),
        });

        // --- README example, verbatim except for the scripted clients above ---
        var budget = new BudgetTracker(new BudgetOptions { MaxCostUsd = 0.50m }
            .SetToolLimit("search", 10).SetToolLimit("browse", 10));
        var kernel = new Kernel();
        kernel.Plugins.AddFromObject(new WebSearchPlugin(searchEngine), "web");
        kernel.UseBudgetTracker(budget, o => o.CountUsage = false);
        IChatClient chat = new ChatClientBuilder(modelClient)
            .UseKernelFunctionInvocation().UseBudgetTracker(budget, o => o.ChargeTools = false).Build();
        var history = new ChatHistory(budget.FormatGuideline()); history.AddUserMessage("Who founded X?");
        var reply = await chat.AsChatCompletionService().GetChatMessageContentAsync(history,
            new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }, kernel);
        // --- end of README example ---

        Assert.Equal("Ada founded X.", reply.Content);
        BudgetSnapshot snapshot = budget.GetSnapshot();
        BudgetCategorySnapshot search = Assert.Single(snapshot.Categories, c => c.Name == "search");
        Assert.Equal(3, search.Used);
        Assert.Equal(7, search.Remaining);
        Assert.Equal(2 * Reply.InputTokens, snapshot.InputTokens);
        Assert.Equal(2 * Reply.OutputTokens, snapshot.OutputTokens);

        // The model saw the tool result followed by the budget block.
        string toolResult = Assert.Single(modelClient.Calls[1].Messages
            .SelectMany(m => m.Contents).OfType<FunctionResultContent>()).Result?.ToString() ?? string.Empty;
        Assert.Contains("X was founded by Ada.", toolResult, StringComparison.Ordinal);
        Assert.Contains("<budget>", toolResult, StringComparison.Ordinal);
        Assert.True(toolResult.IndexOf("<budget>", StringComparison.Ordinal) > toolResult.IndexOf("X was founded by Ada.", StringComparison.Ordinal));
    }
}
