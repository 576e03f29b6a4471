using System.Net;

namespace Agents.Samples.Eval.Report;

/// <summary>Summarizes results per (strategy, budget) and renders the Markdown table.</summary>
public static class EvalReport
{
    /// <summary>The columns of the summary table, in the order of <see cref="Cells"/>.</summary>
    private static readonly string[] Columns = ["Strategy", "Budget", "Runs", "Accuracy", "Mean cost (USD)", "Mean tool units", "Mean tokens in / out", "Cost-of-pass (USD)"];

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
        var sb = new StringBuilder();
        if (!string.IsNullOrWhiteSpace(title))
        {
            sb.Append("# ").Append(title).Append("\n\n");
        }

        sb.Append("| ").Append(string.Join(" | ", Columns)).Append(" |\n");
        sb.Append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var r in rows)
        {
            var cells = Cells(r);
            cells[0] = cells[0].Replace("|", "\\|", StringComparison.Ordinal);
            sb.Append("| ").Append(string.Join(" | ", cells)).Append(" |\n");
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

    /// <summary>
    /// Renders a self-contained HTML report: the title, the table, the Pareto frontier and the plots (SVG images
    /// named relative to the report), so one page shows the numbers and the plots together.
    /// </summary>
    /// <param name="rows">The summary rows.</param>
    /// <param name="title">The page title, for example <c>Evaluation: hotpot-dev</c>.</param>
    /// <param name="plots">Image paths relative to the report, with their alternative text.</param>
    public static string ToHtml(IReadOnlyList<EvalSummaryRow> rows, string title, IReadOnlyList<(string Path, string Alt)> plots)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(plots);
        static string E(string text) => WebUtility.HtmlEncode(text);
        var sb = new StringBuilder();
        sb.Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
            .Append(E(title)).Append("</title>\n<style>\n")
            .Append("body{font:15px/1.5 system-ui,sans-serif;margin:24px auto;max-width:1000px;padding:0 16px;color:#1d1d1f}\n")
            .Append("table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}th,td{border:1px solid #d0d5dd;padding:4px 8px}td.n{text-align:right}th{background:#f2f4f7}\n")
            .Append("figure{margin:16px 0}img{max-width:100%;height:auto;border:1px solid #eaecf0}\n</style>\n</head>\n<body>\n<h1>")
            .Append(E(title)).Append("</h1>\n<table>\n<thead><tr>");
        foreach (var column in Columns)
        {
            sb.Append("<th>").Append(column).Append("</th>");
        }

        sb.Append("</tr></thead>\n<tbody>\n");
        foreach (var r in rows)
        {
            var cells = Cells(r);
            sb.Append("<tr><td>").Append(E(cells[0]));
            foreach (var cell in cells.Skip(1))
            {
                sb.Append("</td><td class=\"n\">").Append(cell);
            }

            sb.Append("</td></tr>\n");
        }

        sb.Append("</tbody>\n</table>\n<p>").Append(E(FrontierMarkdown(rows).Trim())).Append("</p>\n");
        foreach (var (path, alt) in plots)
        {
            sb.Append("<figure><img src=\"").Append(E(Uri.EscapeDataString(path))).Append("\" alt=\"").Append(E(alt)).Append("\"><figcaption>")
                .Append(E(alt)).Append("</figcaption></figure>\n");
        }

        return sb.Append("</body>\n</html>\n").ToString();
    }

    /// <summary>The text of one row's cells, numbers in the invariant culture (for both the Markdown and the HTML table).</summary>
    private static string[] Cells(EvalSummaryRow r)
    {
        var inv = CultureInfo.InvariantCulture;
        return
        [
            r.Strategy,
            r.Budget.ToString(inv),
            r.Runs.ToString(inv),
            $"{(r.Accuracy * 100).ToString("0.0", inv)}% ({r.Correct.ToString(inv)})",
            r.MeanCostUsd.ToString("0.0000", inv),
            r.MeanToolUnits.ToString("0.0", inv),
            $"{r.MeanInputTokens.ToString("0", inv)} / {r.MeanOutputTokens.ToString("0", inv)}",
            double.IsPositiveInfinity(r.CostOfPass) ? "∞" : r.CostOfPass.ToString("0.0000", inv),
        ];
    }
}
