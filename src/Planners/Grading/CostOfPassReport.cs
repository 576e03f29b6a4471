namespace Agents.Planners.Grading;

/// <summary>Accuracy and cost of a set of graded runs.</summary>
/// <param name="Runs">Number of runs.</param>
/// <param name="Correct">Runs graded correct.</param>
/// <param name="TotalCostUsd">Unified cost of all runs.</param>
/// <param name="CostOfPassUsd">Expected dollars per correct answer (mean cost / accuracy); +∞ when none is correct.</param>
public sealed record CostOfPassReport(int Runs, int Correct, decimal TotalCostUsd, double CostOfPassUsd)
{
    /// <summary>Gets the share of correct runs, from 0 to 1.</summary>
    public double Accuracy => Runs == 0 ? 0 : (double)Correct / Runs;

    /// <summary>Gets the mean cost of one run.</summary>
    public decimal MeanCostUsd => Runs == 0 ? 0 : TotalCostUsd / Runs;
}
