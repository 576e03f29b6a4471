namespace Agents.Planners.Runs.Events;

/// <summary>The agent proposed an answer (BATS verifies it next).</summary>
/// <param name="Answer">The proposed answer.</param>
/// <param name="Attempt">The attempt number, from 1.</param>
public sealed record AnswerProposedEvent(string Answer, int Attempt) : AgentRunEvent;
