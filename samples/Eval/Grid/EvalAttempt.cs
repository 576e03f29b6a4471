namespace Agents.Samples.Eval.Grid;

/// <summary>What one strategy run produced and spent.</summary>
/// <param name="Answer">The final answer, or null when none was given.</param>
/// <param name="Status">How the run ended (e.g. <c>answered</c>, <c>budget_exhausted</c>, <c>gave_up</c>).</param>
/// <param name="CostUsd">Unified cost (tokens + tool units) in USD.</param>
/// <param name="ToolUnits">Tool units spent over all categories.</param>
/// <param name="InputTokens">Input tokens used.</param>
/// <param name="OutputTokens">Output tokens used.</param>
public sealed record EvalAttempt(string? Answer, string Status, decimal CostUsd, long ToolUnits, long InputTokens, long OutputTokens);
