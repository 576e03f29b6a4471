namespace Agents.Planners.Runs;

/// <summary>What one tool call produced for the model, and whether a hard budget limit was reached.</summary>
internal readonly record struct ToolOutcome(FunctionResultContent Content, ToolCallRecord Record, bool BudgetStop);
