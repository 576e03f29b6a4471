namespace Agents.AgentFramework;

/// <summary>One question and answer of a planner conversation, kept in the session.</summary>
/// <param name="Question">The question.</param>
/// <param name="Answer">The answer, or why there is none.</param>
internal sealed record PlannerTurn(string Question, string Answer);
