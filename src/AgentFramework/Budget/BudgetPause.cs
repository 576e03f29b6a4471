namespace Agents.AgentFramework;

/// <summary>A run paused because a category is spent, waiting for the user's answer; kept in the session.</summary>
/// <param name="RequestId">The id of the approval request shown to the user.</param>
/// <param name="Category">The spent category.</param>
/// <param name="Units">The units the user is asked to grant.</param>
internal sealed record BudgetPause(string RequestId, string Category, long Units);
