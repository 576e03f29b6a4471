namespace Agents.Planners.Runs.Events;

/// <summary>A run ended; always the last event of its run, also when it was cancelled.</summary>
/// <param name="Result">The result.</param>
public sealed record RunCompletedEvent(AgentRunResult Result) : AgentRunEvent;
