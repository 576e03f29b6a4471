namespace Agents.Planners.Runs;

/// <summary>How an agent run ended.</summary>
public enum AgentRunStatus
{
    /// <summary>The agent gave a final answer.</summary>
    Answered,

    /// <summary>A hard budget limit stopped the run before a final answer.</summary>
    BudgetExhausted,

    /// <summary>The agent stopped without an answer (iteration or attempt cap, or no usable answer).</summary>
    GaveUp,

    /// <summary>The caller (or a strategy such as First Finish Search) cancelled the run; its spend is still reported.</summary>
    Cancelled,
}
