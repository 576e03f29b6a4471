namespace Agents.Planners.DeepResearch;

/// <summary>Why a stage of the deep-research workflow stopped.</summary>
public enum StageStopReason
{
    /// <summary>The stage finished in this run (the stage-complete marker is in its log).</summary>
    Completed,

    /// <summary>The stage had finished in an earlier run; no round was spent.</summary>
    AlreadyComplete,

    /// <summary>The stage used all its rounds without finishing.</summary>
    RoundCap,

    /// <summary>The budget ran out (Context Builder only; the Report Writer still writes).</summary>
    BudgetExhausted,
}
