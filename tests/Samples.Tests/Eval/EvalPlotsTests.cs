using Agents.Samples.Eval.Report;
using SkiaSharp;

namespace Agents.Samples.Tests.Eval;

public sealed class EvalPlotsTests() : TempFolderTests("plots-")
{
    private static IReadOnlyList<EvalSummaryRow> Rows() => EvalReport.Summarize(
        from strategy in new[] { "react", "bats" }
        from budget in new[] { 5, 10, 20 }
        from i in Enumerable.Range(0, 4)
        select ResultsJournalTests.Row(strategy, budget, $"q{i}", correct: i < budget / 5 + (strategy == "bats" ? 1 : 0), cost: budget * 0.001m * (strategy == "bats" ? 2 : 1)));

    [Theory]
    [InlineData(EvalPlots.DefaultWidth, EvalPlots.DefaultHeight)]
    [InlineData(640, 400)]
    public void Accuracy_vs_budget_is_a_decodable_png_of_the_requested_size(int width, int height)
    {
        string path = Path.Combine(Dir, "nested", "accuracy-vs-budget.png");
        EvalPlots.WriteAccuracyVsBudget(Rows(), path, width, height);
        AssertPng(path, width, height);
    }

    [Fact]
    public void Accuracy_vs_cost_with_frontier_is_a_decodable_png()
    {
        string path = Path.Combine(Dir, "accuracy-vs-cost.png");
        EvalPlots.WriteAccuracyVsCost(Rows(), path);
        AssertPng(path, EvalPlots.DefaultWidth, EvalPlots.DefaultHeight);
    }

    [Fact]
    public void Svg_beside_the_png_is_titled_after_the_dataset_labels_points_with_the_strategy_and_stops_at_100_percent()
    {
        string path = Path.Combine(Dir, "accuracy-vs-cost.png");
        EvalPlots.WriteAccuracyVsCost(Rows(), path, datasetName: "hotpot-dev");

        AssertPng(path, EvalPlots.DefaultWidth, EvalPlots.DefaultHeight);
        string svg = File.ReadAllText(Path.Combine(Dir, "accuracy-vs-cost.svg"));
        Assert.Contains("<svg", svg, StringComparison.Ordinal);
        Assert.Contains("Accuracy vs cost: hotpot-dev", svg, StringComparison.Ordinal);
        Assert.Contains("bats @ 20", svg, StringComparison.Ordinal);
        Assert.Contains("react @ 5", svg, StringComparison.Ordinal);
        Assert.Contains("100 %", svg, StringComparison.Ordinal);
        Assert.DoesNotContain(">105<", svg, StringComparison.Ordinal);
        Assert.DoesNotContain(">110<", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_strategy_gets_its_own_marker_and_line_style()
    {
        string path = Path.Combine(Dir, "accuracy-vs-budget.png");
        EvalPlots.WriteAccuracyVsBudget(Rows(), path, datasetName: "questions v2");

        string svg = File.ReadAllText(EvalPlots.SvgPath(path));
        Assert.Contains("Accuracy vs budget: questions v2", svg, StringComparison.Ordinal);
        Assert.Equal(8, Enumerable.Range(0, 8).Select(EvalPlots.MarkerFor).Distinct().Count());
        Assert.Equal(4, Enumerable.Range(0, 4).Select(EvalPlots.LineNameFor).Distinct().Count());
    }

    [Fact]
    public void No_rows_or_tiny_sizes_are_rejected()
    {
        Assert.Contains("no results", Assert.Throws<ArgumentException>(() => EvalPlots.WriteAccuracyVsCost([], Path.Combine(Dir, "x.png"))).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => EvalPlots.WriteAccuracyVsBudget(Rows(), Path.Combine(Dir, "x.png"), 10, 10));
        Assert.False(File.Exists(Path.Combine(Dir, "x.png")));
    }

    internal static void AssertPng(string path, int width, int height)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        using var bitmap = SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        Assert.Equal((width, height), (bitmap.Width, bitmap.Height));

        // Not a blank image: plots have many distinct colours (lines, text, markers).
        var colours = new HashSet<SKColor>();
        for (int y = 0; y < bitmap.Height; y += 4)
        {
            for (int x = 0; x < bitmap.Width; x += 4)
            {
                colours.Add(bitmap.GetPixel(x, y));
            }
        }

        Assert.True(colours.Count > 5, $"only {colours.Count} colours in {path}");
    }
}
