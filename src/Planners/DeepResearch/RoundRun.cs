namespace Agents.Planners.DeepResearch;

/// <summary>What one round did.</summary>
internal sealed record RoundRun(string FinalText, int ModelCalls, bool BudgetStopped);
