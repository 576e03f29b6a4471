namespace Agents.Budget;

/// <summary>
/// Model usage charged while a tool ran, on the tool call's own asynchronous flow: for example the page summary a
/// <c>browse</c> call asked a model for. It is already in the tracker's totals; it is reported on the call
/// (<see cref="BudgetedToolResult.ModelSpend"/>) so that a run's own meter can count what its tools spent on its behalf.
/// </summary>
/// <param name="InputTokens">Input tokens.</param>
/// <param name="OutputTokens">Output tokens.</param>
/// <param name="CachedInputTokens">Cached input tokens (a part of <paramref name="InputTokens"/>).</param>
/// <param name="ModelCalls">Model calls counted.</param>
/// <param name="CostUsd">Their cost in US dollars, at the tracker's prices.</param>
public sealed record BudgetModelSpend(long InputTokens, long OutputTokens, long CachedInputTokens, int ModelCalls, decimal CostUsd)
{
    /// <summary>Gets a spend of nothing.</summary>
    public static BudgetModelSpend Zero { get; } = new(0, 0, 0, 0, 0m);

    /// <summary>Gets a value indicating whether nothing was spent.</summary>
    public bool IsZero => ModelCalls == 0 && InputTokens == 0 && OutputTokens == 0 && CostUsd == 0m;
}
