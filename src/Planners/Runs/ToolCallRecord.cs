namespace Agents.Planners.Runs;

/// <summary>One tool call an agent made, as recorded in its trajectory.</summary>
/// <param name="CallId">The model's call id.</param>
/// <param name="Name">The tool name the model asked for.</param>
/// <param name="Arguments">The arguments the model gave.</param>
/// <param name="Result">The text returned to the model (the tool's output, or the reason it did not run).</param>
/// <param name="Executed">Whether the tool actually ran (false: unknown tool, bad arguments, refused by the budget, failed).</param>
/// <param name="Category">The budget category charged, when known.</param>
/// <param name="Units">Units charged (0 when the tool did not run).</param>
public sealed record ToolCallRecord(
    string CallId,
    string Name,
    IReadOnlyDictionary<string, object?> Arguments,
    string Result,
    bool Executed,
    string? Category,
    int Units)
{
    /// <summary>
    /// Gets the model usage the tool charged on the run's behalf while it ran (a page summary, say), counted in the run's
    /// cost; <see langword="null"/> when it made no model call.
    /// </summary>
    public Agents.Budget.BudgetModelSpend? ModelSpend { get; init; }
}
