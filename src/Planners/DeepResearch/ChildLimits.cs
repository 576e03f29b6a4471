namespace Agents.Planners.DeepResearch;

/// <summary>
/// The limits of one child budget of the workflow (a sub-researcher's topic, or the Report Writer): tool units per
/// category, tokens and money. Stored with the child's spend, so that a resumed child gets the same limits.
/// </summary>
/// <param name="ToolLimits">The unit limit per category.</param>
/// <param name="MaxInputTokens">The input-token limit, if any.</param>
/// <param name="MaxOutputTokens">The output-token limit, if any.</param>
/// <param name="MaxCostUsd">The money limit, if any.</param>
internal sealed record ChildLimits(IReadOnlyDictionary<string, long> ToolLimits, long? MaxInputTokens, long? MaxOutputTokens, decimal? MaxCostUsd)
{
    /// <summary>Gets a value indicating whether every limit is one a tracker accepts (units and tokens 1 or more, money above 0).</summary>
    public bool IsValid =>
        ToolLimits is not null
        && ToolLimits.All(p => !string.IsNullOrWhiteSpace(p.Key) && p.Value >= 1)
        && MaxInputTokens is null or >= 1
        && MaxOutputTokens is null or >= 1
        && MaxCostUsd is null or > 0;

    /// <summary>
    /// These limits raised by <paramref name="spent"/>: a child that restores <paramref name="spent"/> into limits raised so
    /// has exactly these limits left (how a child whose earlier round ended gets a fresh share on top of what it spent).
    /// </summary>
    public ChildLimits Plus(BudgetSpend spent) => new(
        ToolLimits.ToDictionary(p => p.Key, p => p.Value + spent.GetUnits(p.Key), StringComparer.OrdinalIgnoreCase),
        MaxInputTokens + spent.InputTokens,
        MaxOutputTokens + spent.OutputTokens,
        MaxCostUsd + spent.TokenCostUsd + spent.ToolCostUsd);
}
