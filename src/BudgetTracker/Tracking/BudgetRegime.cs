namespace Agents.Budget;

/// <summary>The spending regime derived from the remaining fraction of the tightest budget (BATS).</summary>
public enum BudgetRegime
{
    /// <summary>At least 70% of every limited budget remains: explore broadly.</summary>
    High,

    /// <summary>Between 30% and 70% remains: refine and converge.</summary>
    Medium,

    /// <summary>Between 10% and 30% remains: verify or finalise.</summary>
    Low,

    /// <summary>Less than 10% remains, or any budget is exhausted: avoid depleted tools and answer.</summary>
    Critical,
}
