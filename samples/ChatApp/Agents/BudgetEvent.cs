namespace Agents.Samples.ChatApp.Agents;

/// <summary>The budget as it stands; the page's meter shows the latest one.</summary>
/// <param name="Categories">Units used per tool category.</param>
/// <param name="InputTokens">Model input tokens so far.</param>
/// <param name="OutputTokens">Model output tokens so far.</param>
/// <param name="MaxTokens">The token limit of the run.</param>
/// <param name="CostUsd">The unified cost so far.</param>
/// <param name="MaxCostUsd">The money limit of the run.</param>
/// <param name="RemainingFraction">The smallest remaining fraction over the limited budgets (0..1).</param>
/// <param name="Regime"><c>HIGH</c>, <c>MEDIUM</c>, <c>LOW</c> or <c>CRITICAL</c>.</param>
internal sealed record BudgetEvent(
    IReadOnlyList<BudgetCategoryUsage> Categories,
    long InputTokens,
    long OutputTokens,
    long MaxTokens,
    decimal CostUsd,
    decimal MaxCostUsd,
    double RemainingFraction,
    string Regime) : AgentEvent
{
    /// <summary>Gets the seconds the run has taken so far, when known.</summary>
    public double? ElapsedSeconds { get; init; }

    /// <summary>Gets the run's time limit in seconds, when known.</summary>
    public double? MaxSeconds { get; init; }

    public override string EventName => "budget";
}
