namespace Agents.Planners.Bats;

/// <summary>The state of one checklist step, rendered as a check box.</summary>
public enum PlanStepStatus
{
    /// <summary><c>[ ]</c> not started.</summary>
    Pending,

    /// <summary><c>[x]</c> done.</summary>
    Done,

    /// <summary><c>[!]</c> failed or abandoned (kept, never deleted).</summary>
    Failed,

    /// <summary><c>[~]</c> partly done.</summary>
    Partial,
}
