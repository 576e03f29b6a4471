using Agents.Budget;
using Agents.Samples.ResearchAgent.Progress;
using Spectre.Console;

namespace Agents.Samples.Tests.ResearchAgent;

public sealed class ProgressRendererTests
{
    private static string Render(Spectre.Console.Rendering.IRenderable renderable)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(writer),
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 120;
        console.Write(renderable);
        return writer.ToString();
    }

    [Fact]
    public void The_live_panel_shows_step_tool_calls_and_a_budget_meter()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 10).SetToolLimit("browse", 4));
        using (var r = tracker.TryReserve("search", 7))
        {
            r.Commit();
        }

        var state = new ProgressState();
        state.SetStep("act: calling search");
        for (int i = 1; i <= 8; i++)
        {
            state.AddTool($"search(queries: [\"q{i}\"])");
        }

        state.SetBudget(tracker.GetSnapshot());
        string text = Render(ProgressRenderer.Render(state, "bats · scripted"));

        Assert.Contains("bats · scripted", text, StringComparison.Ordinal);
        Assert.Contains("act: calling search", text, StringComparison.Ordinal);
        Assert.Contains("8", text, StringComparison.Ordinal);
        Assert.Contains("q8", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"q2\"", text, StringComparison.Ordinal); // only the last six calls are listed
        Assert.Contains("██████████████░░░░░░ 7/10", text, StringComparison.Ordinal);
        Assert.Contains("░░░░░░░░░░░░░░░░░░░░ 0/4", text, StringComparison.Ordinal);
        Assert.Contains("$0.0070", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0L, null, "0 used (no limit)")]
    [InlineData(5L, 10L, "[green]██████████[/][grey]░░░░░░░░░░[/] 5/10")]
    [InlineData(8L, 10L, "[yellow]████████████████[/][grey]░░░░[/] 8/10")]
    [InlineData(12L, 10L, "[red]████████████████████[/][grey][/] 12/10")]
    public void Meter_colours_by_spending(long used, long? limit, string expected)
    {
        Assert.Equal(expected, ProgressRenderer.Meter(used, limit));
    }

    [Fact]
    public void Cost_table_lists_every_budget_and_the_total()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 3));
        string text = Render(ProgressRenderer.CostTable(tracker.GetSnapshot()));
        Assert.Contains("search", text, StringComparison.Ordinal);
        Assert.Contains("cost (USD)", text, StringComparison.Ordinal);
        Assert.Contains("0.0000", text, StringComparison.Ordinal);
        Assert.Equal("a long line…", ProgressRenderer.Trim("a long line\nthat goes on", 12));
    }
}
