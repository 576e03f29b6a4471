namespace Agents.Planners.Runs.Events;

/// <summary>The BATS checklist plan was created or changed.</summary>
/// <param name="Plan">The rendered checklist.</param>
public sealed record PlanUpdatedEvent(string Plan) : AgentRunEvent;
