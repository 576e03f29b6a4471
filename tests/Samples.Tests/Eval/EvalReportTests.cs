using Agents.Samples.Eval.Report;

namespace Agents.Samples.Tests.Eval;

public sealed class EvalReportTests
{
    [Fact]
    public void Summarizes_accuracy_cost_units_and_cost_of_pass_per_strategy_and_budget()
    {
        var rows = EvalReport.Summarize(
        [
            ResultsJournalTests.Row("react", 5, "q1", correct: true, cost: 0.02m),
            ResultsJournalTests.Row("react", 5, "q2", correct: false, cost: 0.04m),
            ResultsJournalTests.Row("bats", 10, "q1", correct: false, cost: 0.10m),
            ResultsJournalTests.Row("react", 10, "q1", correct: true, cost: 0.03m),
        ]);

        Assert.Equal([("bats", 10), ("react", 5), ("react", 10)], rows.Select(r => (r.Strategy, r.Budget)));
        var react5 = rows[1];
        Assert.Equal((2, 1, 0.5), (react5.Runs, react5.Correct, react5.Accuracy));
        Assert.Equal(0.03, react5.MeanCostUsd, 10);
        Assert.Equal(5.0, react5.MeanToolUnits);
        Assert.Equal(0.06, react5.CostOfPass, 10);
        Assert.True(double.IsPositiveInfinity(rows[0].CostOfPass));
    }

    [Fact]
    public void Markdown_table_has_a_header_and_one_line_per_row()
    {
        var rows = EvalReport.Summarize(
        [
            ResultsJournalTests.Row("react", 5, "q1", correct: true, cost: 0.02m),
            ResultsJournalTests.Row("react", 5, "q2", correct: false, cost: 0.04m),
            ResultsJournalTests.Row("bats", 10, "q1", correct: false, cost: 0.10m),
        ]);
        string md = EvalReport.ToMarkdown(rows, "Offline web");
        Assert.Equal(
            "# Offline web\n\n"
            + "| Strategy | Budget | Runs | Accuracy | Mean cost (USD) | Mean tool units | Mean tokens in / out | Cost-of-pass (USD) |\n"
            + "|---|---:|---:|---:|---:|---:|---:|---:|\n"
            + "| bats | 10 | 1 | 0.0% (0) | 0.1000 | 10.0 | 10 / 2 | ∞ |\n"
            + "| react | 5 | 2 | 50.0% (1) | 0.0300 | 5.0 | 10 / 2 | 0.0600 |\n",
            md);
    }

    [Fact]
    public void Frontier_line_names_the_settings_worth_paying_for()
    {
        var rows = EvalReport.Summarize(
        [
            ResultsJournalTests.Row("react", 5, "q1", correct: true, cost: 0.02m),
            ResultsJournalTests.Row("react", 5, "q2", correct: false, cost: 0.02m),
            ResultsJournalTests.Row("bats", 10, "q1", correct: true, cost: 0.10m),
            ResultsJournalTests.Row("bats", 10, "q2", correct: true, cost: 0.10m),
            ResultsJournalTests.Row("react", 10, "q1", correct: false, cost: 0.30m),
        ]);
        Assert.Equal("Pareto frontier (accuracy vs mean cost, cheapest first): react at 5 (50.0%, $0.0200) → bats at 10 (100.0%, $0.1000)\n", EvalReport.FrontierMarkdown(rows));
        Assert.Equal("Pareto frontier (accuracy vs mean cost, cheapest first): none\n", EvalReport.FrontierMarkdown([]));
    }

    [Fact]
    public void Pareto_frontier_keeps_only_undominated_points_by_cost()
    {
        var points = new[] { (C: 1.0, A: 0.2, N: "a"), (C: 2.0, A: 0.1, N: "b"), (C: 2.0, A: 0.5, N: "c"), (C: 3.0, A: 0.5, N: "d"), (C: 4.0, A: 0.7, N: "e"), (C: 0.5, A: 0.0, N: "f") };
        var frontier = ParetoFrontier.Compute(points, p => p.C, p => p.A);
        Assert.Equal(["f", "a", "c", "e"], frontier.Select(p => p.N));
        Assert.Empty(ParetoFrontier.Compute(Array.Empty<(double, double)>(), p => p.Item1, p => p.Item2));
    }

    [Fact]
    public void Html_report_shows_the_table_and_the_plots_together_and_encodes_names()
    {
        var rows = EvalReport.Summarize(
        [
            ResultsJournalTests.Row("<b>react</b>", 5, "q1", correct: true, cost: 0.02m),
            ResultsJournalTests.Row("bats", 10, "q1", correct: false, cost: 0.10m),
        ]);

        string html = EvalReport.ToHtml(rows, "Evaluation: <dev>", [("accuracy-vs-cost.svg", "Accuracy vs cost")]);

        Assert.StartsWith("<!doctype html>", html, StringComparison.Ordinal);
        Assert.Contains("<title>Evaluation: &lt;dev&gt;</title>", html, StringComparison.Ordinal);
        Assert.Contains("<td>&lt;b&gt;react&lt;/b&gt;</td><td class=\"n\">5</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"n\">100.0% (1)</td>", html, StringComparison.Ordinal);
        Assert.Contains("<img src=\"accuracy-vs-cost.svg\" alt=\"Accuracy vs cost\">", html, StringComparison.Ordinal);
        Assert.Contains("Pareto frontier", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
    }
}
