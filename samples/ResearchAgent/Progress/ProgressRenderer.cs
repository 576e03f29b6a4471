using Spectre.Console;
using Spectre.Console.Rendering;

namespace Agents.Samples.ResearchAgent.Progress;

/// <summary>Renders <see cref="ProgressState"/> as a Spectre.Console panel: current step, recent tool calls, budget meter.</summary>
internal static class ProgressRenderer
{
    public static IRenderable Render(ProgressState state, string title)
    {
        var (step, tools, toolCalls, budget) = state.Read();
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow(new Markup("[bold]Step[/]"), new Text(Trim(step, 110)));
        grid.AddRow(new Markup("[bold]Tool calls[/]"), new Text(toolCalls.ToString(CultureInfo.InvariantCulture)));
        foreach (var t in tools)
        {
            grid.AddRow(new Text(string.Empty), new Text("• " + Trim(t, 106), new Style(Color.Grey)));
        }

        if (budget is not null)
        {
            foreach (var c in budget.Categories.Where(c => c.Limit is not null || c.Used > 0))
            {
                grid.AddRow(new Markup($"[bold]{Markup.Escape(c.Name)}[/]"), new Markup(Meter(c.Used, c.Limit)));
            }

            grid.AddRow(new Markup("[bold]Tokens[/]"), new Text($"{budget.InputTokens:N0} in / {budget.OutputTokens:N0} out"));
            grid.AddRow(new Markup("[bold]Cost[/]"), new Text(budget.CostUsd.ToString("$0.0000", CultureInfo.InvariantCulture) + $"   regime {budget.Regime}"));
        }

        return new Panel(grid).Header(Markup.Escape(title)).Border(BoxBorder.Rounded).Expand();
    }

    public static string Meter(long used, long? limit)
    {
        if (limit is not { } max || max <= 0)
        {
            return $"{used} used (no limit)";
        }

        const int Width = 20;
        int filled = (int)Math.Clamp(Math.Round((double)used / max * Width), 0, Width);
        string color = used >= max ? "red" : used >= max * 0.7 ? "yellow" : "green";
        return $"[{color}]{new string('█', filled)}[/][grey]{new string('░', Width - filled)}[/] {used}/{max}";
    }

    public static string Trim(string text, int max)
    {
        string oneLine = text.ReplaceLineEndings(" ");
        return oneLine.Length <= max ? oneLine : oneLine[..(max - 1)] + "…";
    }

    public static Table CostTable(BudgetSnapshot budget)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Budget").AddColumn(new TableColumn("Used").RightAligned()).AddColumn(new TableColumn("Limit").RightAligned());
        foreach (var c in budget.Categories)
        {
            table.AddRow(c.Name, c.Used.ToString(CultureInfo.InvariantCulture), c.Limit?.ToString(CultureInfo.InvariantCulture) ?? "-");
        }

        table.AddRow("input tokens", budget.InputTokens.ToString(CultureInfo.InvariantCulture), "-");
        table.AddRow("output tokens", budget.OutputTokens.ToString(CultureInfo.InvariantCulture), "-");
        table.AddRow("cost (USD)", budget.CostUsd.ToString("0.0000", CultureInfo.InvariantCulture), "-");
        table.AddRow("elapsed", budget.Elapsed.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture), "-");
        return table;
    }
}
