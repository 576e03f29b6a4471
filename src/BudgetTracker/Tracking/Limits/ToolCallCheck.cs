namespace Agents.Budget;

/// <summary>A tool call asking to reserve units, as the limits of one tracker level see it.</summary>
/// <param name="Category">The category of this level.</param>
/// <param name="Units">The units asked for.</param>
/// <param name="CostUsd">What the units cost.</param>
/// <param name="Elapsed">The level's elapsed time.</param>
internal readonly record struct ToolCallCheck(CategoryState Category, int Units, decimal CostUsd, TimeSpan Elapsed);
