using System.ComponentModel;
using Microsoft.SemanticKernel;

namespace Agents.Planners.Tests.Runs;

public sealed class KernelToolsTests
{
    public sealed class WebPlugin
    {
        [KernelFunction("search"), Description("Searches.")]
        [BudgetCategory("search", UnitsArgument = "queries")]
        public string Search(string[] queries) => string.Join(";", queries);
    }

    [Fact]
    public async Task KernelFunctions_KeepTheirBudgetCategoryAttribute()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 10));
        var kernel = new Kernel();
        kernel.Plugins.AddFromType<WebPlugin>("web");
        var model = new ScriptedChatClient(call => call.Index == 0
            ? Reply.Tool("web_search", new Dictionary<string, object?> { ["queries"] = new[] { "a", "b", "c" } })
            : Reply.Text("<answer>ok</answer>"));

        AgentRunResult result = await new ReActAgent(model, kernel, tracker).RunAsync("q?");

        ToolCallRecord call = Assert.Single(result.Trajectory.ToolCalls);
        Assert.True(call.Executed, call.Result);
        Assert.Equal("search", call.Category);
        Assert.Equal(3, call.Units);
        Assert.Equal(3, tracker.GetSnapshot().GetCategory("search")!.Used);
    }
}
