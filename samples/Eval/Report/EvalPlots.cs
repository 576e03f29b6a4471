using ScottPlot;

namespace Agents.Samples.Eval.Report;

/// <summary>
/// Writes the plots of an evaluation, each as PNG and SVG side by side: accuracy vs budget (a line per strategy) and
/// accuracy vs mean cost with the Pareto frontier. Every strategy has its own colour, marker and line style, and
/// strategies drawn first get larger markers, so series with equal results stay visible on top of each other.
/// </summary>
public static class EvalPlots
{
    /// <summary>Default image width in pixels.</summary>
    public const int DefaultWidth = 900;

    /// <summary>Default image height in pixels.</summary>
    public const int DefaultHeight = 560;

    private static readonly MarkerShape[] Markers =
    [
        MarkerShape.FilledCircle, MarkerShape.OpenSquare, MarkerShape.FilledTriangleUp, MarkerShape.OpenDiamond,
        MarkerShape.Cross, MarkerShape.OpenTriangleDown, MarkerShape.FilledSquare, MarkerShape.Asterisk,
    ];

    private static readonly (string Name, LinePattern Pattern)[] Lines =
        [("solid", LinePattern.Solid), ("dashed", LinePattern.Dashed), ("dotted", LinePattern.Dotted), ("densely dashed", LinePattern.DenselyDashed)];

    /// <summary>Gets the marker shape of the strategy at <paramref name="index"/> (strategies in ordinal order).</summary>
    public static MarkerShape MarkerFor(int index) => Markers[index % Markers.Length];

    /// <summary>Gets the line pattern of the strategy at <paramref name="index"/> (strategies in ordinal order).</summary>
    public static LinePattern LineFor(int index) => Lines[index % Lines.Length].Pattern;

    /// <summary>Gets the name of the line pattern of the strategy at <paramref name="index"/>, for example <c>dashed</c>.</summary>
    public static string LineNameFor(int index) => Lines[index % Lines.Length].Name;

    /// <summary>Writes accuracy (%) against budget (units per tool), one line per strategy, to <paramref name="path"/> (PNG) and the same name with <c>.svg</c>.</summary>
    /// <param name="rows">The summary rows.</param>
    /// <param name="path">The PNG path; the SVG goes beside it.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="datasetName">The dataset's name, shown in the title.</param>
    public static void WriteAccuracyVsBudget(IReadOnlyList<EvalSummaryRow> rows, string path, int width = DefaultWidth, int height = DefaultHeight, string? datasetName = null)
    {
        Check(rows, path, width, height);
        var plot = new Plot();
        var groups = Groups(rows);
        var budgets = rows.Select(r => r.Budget).Distinct().Order().ToArray();
        double range = Math.Max(budgets[^1] - budgets[0], 1);

        // Strategies sit side by side around each budget (a small dodge), so equal results never hide each other.
        double dodge = range * 0.012;
        for (int i = 0; i < groups.Count; i++)
        {
            var points = groups[i].OrderBy(r => r.Budget).ToList();
            double shift = (i - ((groups.Count - 1) / 2.0)) * dodge;
            var line = plot.Add.Scatter(points.Select(r => r.Budget + shift).ToArray(), points.Select(r => r.Accuracy * 100).ToArray());
            line.LegendText = groups[i].Key;
            Style(line, i, groups.Count);
            line.LineWidth = 2;
            line.LinePattern = LineFor(i);

            // The strategy's name at the end of its line, stacked per strategy so that equal ends stay readable.
            var last = points[^1];
            var label = plot.Add.Text(groups[i].Key, last.Budget + shift, last.Accuracy * 100);
            label.LabelFontSize = 11;
            label.LabelFontColor = line.Color;
            label.OffsetX = 10;
            label.OffsetY = (float)(-8 + (14 * (i - ((groups.Count - 1) / 2.0))));
        }

        plot.Axes.SetLimitsX(budgets[0] - (0.05 * range), budgets[^1] + (0.2 * range));
        plot.Axes.Bottom.SetTicks(budgets.Select(b => (double)b).ToArray(), budgets.Select(b => b.ToString(CultureInfo.InvariantCulture)).ToArray());
        Finish(plot, Title("Accuracy vs budget", datasetName), "Budget (units per tool)", path, width, height);
    }

    /// <summary>Writes accuracy (%) against mean unified cost per question, each (strategy, budget) a point labelled with both, with the Pareto frontier; PNG at <paramref name="path"/> and SVG beside it.</summary>
    /// <param name="rows">The summary rows.</param>
    /// <param name="path">The PNG path; the SVG goes beside it.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="datasetName">The dataset's name, shown in the title.</param>
    public static void WriteAccuracyVsCost(IReadOnlyList<EvalSummaryRow> rows, string path, int width = DefaultWidth, int height = DefaultHeight, string? datasetName = null)
    {
        Check(rows, path, width, height);
        var plot = new Plot();
        var groups = Groups(rows);
        for (int i = 0; i < groups.Count; i++)
        {
            var points = groups[i].OrderBy(r => r.Budget).ToList();
            var markers = plot.Add.ScatterPoints(points.Select(r => r.MeanCostUsd).ToArray(), points.Select(r => r.Accuracy * 100).ToArray());
            markers.LegendText = groups[i].Key;
            Style(markers, i, groups.Count);
            foreach (var p in points)
            {
                // "strategy @ budget", placed per strategy in a different direction so that equal points do not print on top of each other.
                var label = plot.Add.Text($"{groups[i].Key} @ {p.Budget.ToString(CultureInfo.InvariantCulture)}", p.MeanCostUsd, p.Accuracy * 100);
                label.LabelFontSize = 10;
                label.LabelFontColor = markers.Color;
                label.OffsetX = 7;
                label.OffsetY = -16 + (14 * (i % 3));
            }
        }

        var frontier = ParetoFrontier.Compute(rows, r => r.MeanCostUsd, r => r.Accuracy);
        var line = plot.Add.ScatterLine(frontier.Select(r => r.MeanCostUsd).ToArray(), frontier.Select(r => r.Accuracy * 100).ToArray());
        line.LegendText = "Pareto frontier";
        line.LinePattern = LinePattern.Dashed;
        line.LineWidth = 1.5f;
        line.Color = Colors.Black.WithAlpha(0.6);

        // Room on the right for the labels of the most expensive points.
        double minCost = rows.Min(r => r.MeanCostUsd), maxCost = rows.Max(r => r.MeanCostUsd);
        double span = maxCost > minCost ? maxCost - minCost : Math.Max(maxCost * 0.5, 1e-6);
        plot.Axes.SetLimitsX(minCost - (0.08 * span), maxCost + (0.3 * span));
        Finish(plot, Title("Accuracy vs cost", datasetName), "Mean unified cost per question (USD)", path, width, height);
    }

    /// <summary>Gets the SVG path written beside a PNG path.</summary>
    public static string SvgPath(string pngPath) => Path.ChangeExtension(pngPath, ".svg");

    private static List<IGrouping<string, EvalSummaryRow>> Groups(IReadOnlyList<EvalSummaryRow> rows) =>
        [.. rows.GroupBy(r => r.Strategy).OrderBy(g => g.Key, StringComparer.Ordinal)];

    private static void Style(ScottPlot.Plottables.Scatter series, int index, int count)
    {
        series.MarkerShape = MarkerFor(index);
        series.MarkerSize = 8 + (3 * (count - 1 - index));
        series.MarkerLineWidth = 2;
    }

    private static string Title(string what, string? datasetName) =>
        string.IsNullOrWhiteSpace(datasetName) ? what : $"{what}: {datasetName}";

    private static void PercentAxis(Plot plot)
    {
        // Ticks stop at 100 %; the small pad keeps markers at 0 % and 100 % (and their labels) whole instead of clipped.
        plot.Axes.SetLimitsY(-4, 106);
        double[] ticks = [0, 20, 40, 60, 80, 100];
        plot.Axes.Left.SetTicks(ticks, [.. ticks.Select(t => t.ToString(CultureInfo.InvariantCulture) + " %")]);
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

    /// <summary>The end of every accuracy plot: the title, the axis labels, the percent axis, the legend; then saved as PNG and SVG.</summary>
    private static void Finish(Plot plot, string title, string xLabel, string path, int width, int height)
    {
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel("Accuracy (%)");
        PercentAxis(plot);
        plot.ShowLegend(Alignment.LowerRight);
        Save(plot, path, width, height);
    }

    private static void Save(Plot plot, string path, int width, int height)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        plot.SavePng(path, width, height);
        plot.SaveSvg(SvgPath(path), width, height);
    }
}
