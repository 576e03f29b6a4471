namespace Agents.Planners.Runs;

/// <summary>The outcome of one agent run.</summary>
public sealed record AgentRunResult
{
    /// <summary>Gets the run's id (unique per run, used on its events).</summary>
    public required string RunId { get; init; }

    /// <summary>Gets the name of the agent or strategy that ran.</summary>
    public required string AgentName { get; init; }

    /// <summary>Gets the question.</summary>
    public required string Question { get; init; }

    /// <summary>Gets the final answer; <see langword="null"/> when there is none.</summary>
    public string? Answer { get; init; }

    /// <summary>Gets the confidence in the answer from 0 to 1, when the agent could estimate it.</summary>
    public double? Confidence { get; init; }

    /// <summary>Gets how the run ended.</summary>
    public required AgentRunStatus Status { get; init; }

    /// <summary>Gets a short human-readable reason for <see cref="Status"/>.</summary>
    public string StatusReason { get; init; } = string.Empty;

    /// <summary>Gets what the run did.</summary>
    public required AgentTrajectory Trajectory { get; init; }

    /// <summary>Gets what the run spent (including sub-runs).</summary>
    public required AgentRunCost Cost { get; init; }

    /// <summary>Gets the wall-clock duration.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Gets sub-runs (strategy samples), in the order they finished, cancelled ones included; empty for a single agent.</summary>
    public IReadOnlyList<AgentRunResult> SubRuns { get; init; } = [];
}
