using ScottPlot;

namespace Agents.Samples.Eval.Report;

/// <summary>Writes the PNG plots of an evaluation: accuracy vs budget (a line per strategy) and accuracy vs mean cost with the Pareto frontier.</summary>
public static class EvalPlots
{
    /// <summary>Default image width in pixels.</summary>
    public const int DefaultWidth = 900;

    /// <summary>Default image height in pixels.</summary>
    public const int DefaultHeight = 560;

    /// <summary>Writes accuracy (%) against budget (units per tool), one line per strategy.</summary>
    public static void WriteAccuracyVsBudget(IReadOnlyList<EvalSummaryRow> rows, string path, int width = DefaultWidth, int height = DefaultHeight)
    {
        Check(rows, path, width, height);
        var plot = new Plot();
        foreach (var group in rows.GroupBy(r => r.Strategy).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var points = group.OrderBy(r => r.Budget).ToList();
            var line = plot.Add.Scatter(points.Select(r => (double)r.Budget).ToArray(), points.Select(r => r.Accuracy * 100).ToArray());
            line.LegendText = group.Key;
            line.MarkerSize = 8;
            line.LineWidth = 2;
        }

        var budgets = rows.Select(r => r.Budget).Distinct().Order().ToArray();
        plot.Axes.Bottom.SetTicks(budgets.Select(b => (double)b).ToArray(), budgets.Select(b => b.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        plot.Title("Accuracy vs budget");
        plot.XLabel("Budget (units per tool)");
        plot.YLabel("Accuracy (%)");
        plot.Axes.SetLimitsY(0, 105);
        plot.ShowLegend(Alignment.LowerRight);
        Save(plot, path, width, height);
    }

    /// <summary>Writes accuracy (%) against mean unified cost per question, each (strategy, budget) a point, with the Pareto frontier.</summary>
    public static void WriteAccuracyVsCost(IReadOnlyList<EvalSummaryRow> rows, string path, int width = DefaultWidth, int height = DefaultHeight)
    {
        Check(rows, path, width, height);
        var plot = new Plot();
        foreach (var group in rows.GroupBy(r => r.Strategy).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var points = group.OrderBy(r => r.Budget).ToList();
            var markers = plot.Add.ScatterPoints(points.Select(r => r.MeanCostUsd).ToArray(), points.Select(r => r.Accuracy * 100).ToArray());
            markers.LegendText = group.Key;
            markers.MarkerSize = 9;
            foreach (var p in points)
            {
                var label = plot.Add.Text(p.Budget.ToString(System.Globalization.CultureInfo.InvariantCulture), p.MeanCostUsd, p.Accuracy * 100);
                label.LabelFontSize = 11;
                label.OffsetX = 6;
                label.OffsetY = -6;
            }
        }

        var frontier = ParetoFrontier.Compute(rows, r => r.MeanCostUsd, r => r.Accuracy);
        var line = plot.Add.ScatterLine(frontier.Select(r => r.MeanCostUsd).ToArray(), frontier.Select(r => r.Accuracy * 100).ToArray());
        line.LegendText = "Pareto frontier";
        line.LinePattern = LinePattern.Dashed;
        line.LineWidth = 2;
        line.Color = Colors.Black;

        plot.Title("Accuracy vs cost");
        plot.XLabel("Mean unified cost per question (USD)");
        plot.YLabel("Accuracy (%)");
        plot.Axes.SetLimitsY(0, 105);
        plot.ShowLegend(Alignment.LowerRight);
        Save(plot, path, width, height);
    }

    private static void Check(IReadOnlyList<EvalSummaryRow> rows, string path, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 100);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 100);
        if (rows.Count == 0)
        {
            throw new ArgumentException("There are no results to plot.", nameof(rows));
        }
    }

    private static void Save(Plot plot, string path, int width, int height)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        plot.SavePng(path, width, height);
    }
}
