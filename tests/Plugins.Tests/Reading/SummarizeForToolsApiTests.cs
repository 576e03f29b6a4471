using System.Reflection;
using System.Runtime.CompilerServices;
using Agents.Budget;
using Agents.Plugins.Reading;
using Agents.Plugins.Search;
using Agents.Plugins.Tests.TestSupport;

namespace Agents.Plugins.Tests.Reading;

/// <summary>
/// <see cref="ModelReaderPlugin.SummarizeAsync"/> and <see cref="ReadingReply"/> are public API, which the browser calls as
/// any other tool would; the reading and search packages show their internals only to their tests and benchmarks.
/// </summary>
public sealed class SummarizeForToolsApiTests
{
    private const string Page = "The dam was finished in 1936 and is 221 m high.";

    [Fact]
    public async Task SummarizeAsync_GivesTheReply_AndChargesTheGivenTracker()
    {
        var model = new ScriptedChatClient(_ => ModelReply.Text("\"221 m high\" (paragraph 1): height.\nSummary: 221 m."));
        var tracker = new BudgetTracker(new BudgetOptions());

        ReadingReply reply = await new ModelReaderPlugin(model).SummarizeAsync(Page, "height", tracker, CancellationToken.None);

        Assert.Null(reply.Problem);
        Assert.Contains("Summary: 221 m.", reply.Text, StringComparison.Ordinal);
        Assert.Equal(reply.Text, reply.ToolText);
        Assert.Equal(50, tracker.GetSnapshot().InputTokens);
    }

    [Theory]
    [InlineData("", "height", "text")]
    [InlineData(Page, "  ", "goal")]
    public async Task SummarizeAsync_WithoutTextOrGoal_GivesAProblem_AndAsksNoModel(string text, string goal, string missing)
    {
        var model = new ScriptedChatClient(_ => ModelReply.Text("never"));

        ReadingReply reply = await new ModelReaderPlugin(model).SummarizeAsync(text, goal, tracker: null, CancellationToken.None);

        Assert.Null(reply.Text);
        Assert.StartsWith("summarize_page: ", reply.Problem, StringComparison.Ordinal);
        Assert.Contains(missing, reply.Problem, StringComparison.Ordinal);
        Assert.Equal(reply.Problem, reply.ToolText);
        Assert.Empty(model.Calls);
    }

    [Theory]
    [InlineData(typeof(ModelReaderPlugin))]
    [InlineData(typeof(WebSearchPlugin))]
    public void Package_ShowsItsInternals_OnlyToTestsAndBenchmarks(Type typeInPackage)
    {
        string[] friends = [.. typeInPackage.Assembly.GetCustomAttributes<InternalsVisibleToAttribute>().Select(a => a.AssemblyName)];

        Assert.NotEmpty(friends);
        Assert.All(friends, name => Assert.True(name.EndsWith(".Tests", StringComparison.Ordinal) || name.EndsWith(".Benchmarks", StringComparison.Ordinal), $"{typeInPackage.Assembly.GetName().Name} shows its internals to {name}."));
    }
}
