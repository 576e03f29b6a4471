using System.Globalization;
using System.Text;
using Agents.Samples.Eval.Grid;

namespace Agents.Samples.Eval.Report;

/// <summary>Summarizes results per (strategy, budget) and renders the Markdown table.</summary>
public static class EvalReport
{
    /// <summary>One row per (strategy, budget), ordered by strategy then budget.</summary>
    public static IReadOnlyList<EvalSummaryRow> Summarize(IEnumerable<EvalResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return results
            .GroupBy(r => (r.Strategy, r.Budget))
            .OrderBy(g => g.Key.Strategy, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Budget)
            .Select(g =>
            {
                var runs = g.ToList();
                int correct = runs.Count(r => r.Correct);
                return new EvalSummaryRow(
                    g.Key.Strategy,
                    g.Key.Budget,
                    runs.Count,
                    correct,
                    (double)correct / runs.Count,
                    (double)runs.Average(r => r.CostUsd),
                    runs.Average(r => (double)r.ToolUnits),
                    runs.Average(r => (double)r.InputTokens),
                    runs.Average(r => (double)r.OutputTokens),
                    Agents.Budget.CostOfPass.Compute(runs.Select(r => (r.CostUsd, r.Correct))));
            })
            .ToList();
    }

    /// <summary>Renders the summary as a GitHub Markdown table (with a heading when <paramref name="title"/> is given).</summary>
    public static string ToMarkdown(IReadOnlyList<EvalSummaryRow> rows, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        if (!string.IsNullOrWhiteSpace(title))
        {
            sb.Append("# ").Append(title).Append("\n\n");
        }

        sb.Append("| Strategy | Budget | Runs | Accuracy | Mean cost (USD) | Mean tool units | Mean tokens in / out | Cost-of-pass (USD) |\n");
        sb.Append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var r in rows)
        {
            sb.Append("| ").Append(r.Strategy.Replace("|", "\\|", StringComparison.Ordinal))
                .Append(" | ").Append(r.Budget.ToString(inv))
                .Append(" | ").Append(r.Runs.ToString(inv))
                .Append(" | ").Append((r.Accuracy * 100).ToString("0.0", inv)).Append("% (").Append(r.Correct.ToString(inv)).Append(')')
                .Append(" | ").Append(r.MeanCostUsd.ToString("0.0000", inv))
                .Append(" | ").Append(r.MeanToolUnits.ToString("0.0", inv))
                .Append(" | ").Append(r.MeanInputTokens.ToString("0", inv)).Append(" / ").Append(r.MeanOutputTokens.ToString("0", inv))
                .Append(" | ").Append(double.IsPositiveInfinity(r.CostOfPass) ? "∞" : r.CostOfPass.ToString("0.0000", inv))
                .Append(" |\n");
        }

        return sb.ToString();
    }

    /// <summary>
    /// Lists the (strategy, budget) points on the accuracy-vs-cost Pareto frontier, cheapest first: the settings worth
    /// paying for, since every other point is matched or beaten by one of them at no more cost.
    /// </summary>
    public static string FrontierMarkdown(IReadOnlyList<EvalSummaryRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var inv = CultureInfo.InvariantCulture;
        var frontier = ParetoFrontier.Compute(rows, r => r.MeanCostUsd, r => r.Accuracy);
        var sb = new StringBuilder("Pareto frontier (accuracy vs mean cost, cheapest first): ");
        sb.Append(frontier.Count == 0
            ? "none"
            : string.Join(" → ", frontier.Select(r => $"{r.Strategy} at {r.Budget.ToString(inv)} ({(r.Accuracy * 100).ToString("0.0", inv)}%, ${r.MeanCostUsd.ToString("0.0000", inv)})")));
        return sb.Append('\n').ToString();
    }
}
