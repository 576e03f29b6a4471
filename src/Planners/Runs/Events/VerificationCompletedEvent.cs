using Agents.Planners.Bats;

namespace Agents.Planners.Runs.Events;

/// <summary>BATS self-verification decided on a proposed answer.</summary>
/// <param name="Report">The verification.</param>
/// <param name="Attempt">The attempt number, from 1.</param>
public sealed record VerificationCompletedEvent(VerificationReport Report, int Attempt) : AgentRunEvent;
