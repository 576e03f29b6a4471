namespace Agents.Planners.Runs.Events;

/// <summary>A new attempt (BATS) or sample (strategies) started.</summary>
/// <param name="Attempt">The attempt number, from 1.</param>
public sealed record AttemptStartedEvent(int Attempt) : AgentRunEvent;
