namespace Agents.Budget;

/// <summary>
/// What a <see cref="BudgetTracker"/> has spent: committed tool units per category, tokens, money and wall-clock
/// time. Take it with <see cref="BudgetTracker.GetSpend"/>, store it (it round-trips through System.Text.Json),
/// and add it to a fresh tracker in a later process with <see cref="BudgetTracker.RestoreSpend"/>, so that a run
/// that is stopped and resumed spends one budget in total. Two spends are equal when all values are, the units
/// compared by content (category names case-insensitively).
/// </summary>
public sealed record BudgetSpend
{
    /// <summary>Gets the committed units per category (units of calls that ran; calls in flight are not included).</summary>
    public IReadOnlyDictionary<string, long> Units { get; init; } = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the input tokens used, cached ones included.</summary>
    public long InputTokens { get; init; }

    /// <summary>Gets the output tokens used.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Gets the cached part of <see cref="InputTokens"/>.</summary>
    public long CachedInputTokens { get; init; }

    /// <summary>Gets the cost of the tokens in US dollars.</summary>
    public decimal TokenCostUsd { get; init; }

    /// <summary>Gets the cost of the tool units that ran in US dollars.</summary>
    public decimal ToolCostUsd { get; init; }

    /// <summary>Gets the wall-clock time spent; it counts against <see cref="BudgetOptions.MaxDuration"/> when restored.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Gets the units of a category (case-insensitive, surrounding white space ignored), 0 when it has none.</summary>
    /// <param name="category">The category.</param>
    /// <returns>The units; the sum when several keys name the same category (for example <c>search</c> and <c>"search "</c>).</returns>
    public long GetUnits(string category)
    {
        ArgumentNullException.ThrowIfNull(category);
        long units = 0;
        foreach (KeyValuePair<string, long> pair in Units ?? throw new InvalidOperationException($"{nameof(BudgetSpend)}.{nameof(Units)} is null."))
        {
            if (CategoryName.Same(pair.Key, category))
            {
                units += pair.Value;
            }
        }

        return units;
    }

    /// <summary>Compares all values; the units by content, category names case-insensitively.</summary>
    /// <param name="other">The other spend.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public bool Equals(BudgetSpend? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null
            || InputTokens != other.InputTokens
            || OutputTokens != other.OutputTokens
            || CachedInputTokens != other.CachedInputTokens
            || TokenCostUsd != other.TokenCostUsd
            || ToolCostUsd != other.ToolCostUsd
            || Elapsed != other.Elapsed)
        {
            return false;
        }

        if (Units is null || other.Units is null)
        {
            return Units is null && other.Units is null;
        }

        return Units.Count == other.Units.Count && Units.All(pair => other.GetUnits(pair.Key) == pair.Value);
    }

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        long units = 0;
        foreach (KeyValuePair<string, long> pair in Units ?? new Dictionary<string, long>())
        {
            units += pair.Value;
        }

        return HashCode.Combine(InputTokens, OutputTokens, CachedInputTokens, TokenCostUsd, ToolCostUsd, Elapsed, units);
    }
}
