using Agents.Planners.DeepResearch;

namespace Agents.AgentFramework;

/// <summary>The message a <see cref="ContextBuilderExecutor"/> sends on: the question and what the Context Builder did.</summary>
/// <param name="Question">The research question.</param>
/// <param name="Outcome">What the Context Builder stage did (completed, skipped because finished, round cap, budget).</param>
public sealed record ContextBuilderCompleted(string Question, StageOutcome Outcome);
