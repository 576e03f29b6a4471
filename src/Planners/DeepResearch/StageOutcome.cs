namespace Agents.Planners.DeepResearch;

/// <summary>What one stage did in a run.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="RoundsRun">The rounds this run started (0 when the stage was skipped).</param>
/// <param name="LastRound">The last round number in the stage log, over all runs.</param>
/// <param name="StopReason">Why the stage stopped.</param>
public sealed record StageOutcome(DeepResearchStage Stage, int RoundsRun, int LastRound, StageStopReason StopReason);
