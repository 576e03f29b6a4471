namespace Agents.Planners.Runs;

/// <summary>Everything a run did, in order: every message sent or received, every tool call, budget snapshots.</summary>
/// <remarks>
/// <see cref="Messages"/> is the full log, even where the agent replaced its working context with a summary (BATS).
/// </remarks>
/// <param name="Messages">Messages in the order they were added.</param>
/// <param name="ToolCalls">Tool calls in the order they were made.</param>
/// <param name="BudgetSnapshots">The shared tracker's state after each model call and tool call.</param>
public sealed record AgentTrajectory(
    IReadOnlyList<ChatMessage> Messages,
    IReadOnlyList<ToolCallRecord> ToolCalls,
    IReadOnlyList<BudgetSnapshot> BudgetSnapshots);
