namespace Agents.Planners.Bats;

/// <summary>The parsed self-verification of one proposed answer.</summary>
public sealed record VerificationReport
{
    /// <summary>Gets the proposed answer that was verified.</summary>
    public required string Answer { get; init; }

    /// <summary>Gets the per-constraint findings.</summary>
    public IReadOnlyList<ConstraintCheck> Checks { get; init; } = [];

    /// <summary>Gets the decision.</summary>
    public required VerificationDecision Decision { get; init; }

    /// <summary>Gets why the verifier decided so.</summary>
    public string Justification { get; init; } = string.Empty;

    /// <summary>Gets the summary of the trajectory that replaces the raw trajectory in context.</summary>
    public string TrajectorySummary { get; init; } = string.Empty;

    /// <summary>Gets what went wrong, if anything.</summary>
    public string FailureAnalysis { get; init; } = string.Empty;

    /// <summary>Gets findings worth keeping for later attempts.</summary>
    public string UsefulFindings { get; init; } = string.Empty;

    /// <summary>Gets what to do next.</summary>
    public string Recommendations { get; init; } = string.Empty;

    /// <summary>Gets the plan step to backtrack to, when the verifier named one.</summary>
    public string? BacktrackTo { get; init; }

    /// <summary>
    /// Gets a value indicating whether the verifier's output could not be parsed (even after one repair request)
    /// and this report is the safe default.
    /// </summary>
    public bool IsFallback { get; init; }
}
