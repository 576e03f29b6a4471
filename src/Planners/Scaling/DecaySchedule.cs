namespace Agents.Planners.Scaling;

/// <summary>How Plan-and-Budget shifts token budget towards early sub-questions (weight of the i-th, from 0).</summary>
public enum DecaySchedule
{
    /// <summary>No decay: weight 1 (budget by complexity only).</summary>
    None,

    /// <summary>Weight 1 − rate·i/n, at least 0.05.</summary>
    Linear,

    /// <summary>Weight e^(−rate·i).</summary>
    Exponential,

    /// <summary>Weight (1 + i)^(−rate).</summary>
    Polynomial,
}
