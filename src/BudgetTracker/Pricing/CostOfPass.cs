namespace Agents.Budget;

/// <summary>Cost-of-pass: the expected money spent per successful run (mean cost / success rate).</summary>
public static class CostOfPass
{
    /// <summary>Computes the cost-of-pass of a set of runs.</summary>
    /// <param name="runs">Each run's unified cost and whether it succeeded.</param>
    /// <returns>Mean cost divided by success rate (equivalently total cost / successes);
    /// <see cref="double.PositiveInfinity"/> when no run succeeded.</returns>
    /// <exception cref="ArgumentException">There are no runs, or a cost is negative.</exception>
    public static double Compute(IEnumerable<(decimal CostUsd, bool Success)> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        decimal total = 0;
        int count = 0;
        int successes = 0;
        foreach ((decimal cost, bool success) in runs)
        {
            if (cost < 0)
            {
                throw new ArgumentException($"Run {count} has a negative cost ({cost}); costs must be zero or more.", nameof(runs));
            }

            total += cost;
            count++;
            if (success)
            {
                successes++;
            }
        }

        if (count == 0)
        {
            throw new ArgumentException("Cost-of-pass needs at least one run.", nameof(runs));
        }

        return successes == 0 ? double.PositiveInfinity : (double)(total / successes);
    }
}
