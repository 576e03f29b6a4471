namespace Agents.Planners.Runs.Events;

/// <summary>A run started.</summary>
/// <param name="Question">The question.</param>
public sealed record RunStartedEvent(string Question) : AgentRunEvent;
