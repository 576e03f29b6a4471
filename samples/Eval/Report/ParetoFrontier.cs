namespace Agents.Samples.Eval.Report;

/// <summary>The accuracy-vs-cost Pareto frontier: points that no other point beats on both cost and accuracy.</summary>
public static class ParetoFrontier
{
    /// <summary>
    /// Returns the points not dominated by another (one with cost ≤ and quality ≥, one of them strictly), ordered by
    /// cost. Of points with equal cost and quality the first is kept.
    /// </summary>
    public static IReadOnlyList<T> Compute<T>(IEnumerable<T> points, Func<T, double> cost, Func<T, double> quality)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(cost);
        ArgumentNullException.ThrowIfNull(quality);
        var frontier = new List<T>();
        double best = double.NegativeInfinity;

        // Cheapest first; at equal cost the best quality first, so the rest at that cost are dominated.
        foreach (var p in points.OrderBy(cost).ThenByDescending(quality))
        {
            if (quality(p) > best)
            {
                frontier.Add(p);
                best = quality(p);
            }
        }

        return frontier;
    }
}
