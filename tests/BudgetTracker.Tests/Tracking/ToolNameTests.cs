using Microsoft.SemanticKernel;

namespace Agents.Budget.Tests.Tracking;

/// <summary>The core names a Semantic Kernel function by its plugin and its own name without referencing Semantic Kernel.</summary>
public sealed class ToolNameTests
{
    [Fact]
    public async Task KernelFunctionOfAPlugin_IsNamedPluginUnderscoreFunction_InTheTextsAndTheMappings()
    {
        var tracker = new BudgetTracker(new BudgetOptions().AddToolMapping("web_search", "search", unitsArgument: "queries"));
        KernelPlugin plugin = KernelPluginFactory.CreateFromFunctions("web", [KernelFunctionFactory.CreateFromMethod((string[] queries) => "hits", "search")]);
        AIFunction search = plugin["search"];

        BudgetedToolResult empty = await tracker.InvokeToolAsync(search, new AIFunctionArguments { ["queries"] = Array.Empty<string>() }, CancellationToken.None);
        BudgetedToolResult ran = await tracker.InvokeToolAsync(search, new AIFunctionArguments { ["queries"] = new[] { "a", "b" } }, CancellationToken.None);

        Assert.Contains("the 'queries' array of 'web_search' is empty", empty.Text, StringComparison.Ordinal);
        Assert.True(ran.Executed);
        Assert.Equal("search", ran.Category);
        Assert.Equal(2, ran.Units);
    }
}
