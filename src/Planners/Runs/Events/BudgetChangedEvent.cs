namespace Agents.Planners.Runs.Events;

/// <summary>The shared budget changed (after a model call or a tool call).</summary>
/// <param name="Snapshot">The tracker's state.</param>
public sealed record BudgetChangedEvent(BudgetSnapshot Snapshot) : AgentRunEvent;
