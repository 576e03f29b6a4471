namespace Agents.Budget;

/// <summary>An immutable picture of a <see cref="BudgetTracker"/>'s state.</summary>
public sealed class BudgetSnapshot
{
    internal BudgetSnapshot(
        IReadOnlyList<BudgetCategorySnapshot> categories,
        long inputTokens,
        long outputTokens,
        long cachedInputTokens,
        decimal tokenCostUsd,
        decimal toolCostUsd,
        TimeSpan elapsed,
        IReadOnlyList<string> exhaustedReasons,
        double remainingFraction,
        BudgetRegime regime)
    {
        Categories = categories;
        InputTokens = inputTokens;
        OutputTokens = outputTokens;
        CachedInputTokens = cachedInputTokens;
        TokenCostUsd = tokenCostUsd;
        ToolCostUsd = toolCostUsd;
        Elapsed = elapsed;
        ExhaustedReasons = exhaustedReasons;
        RemainingFraction = remainingFraction;
        Regime = regime;
    }

    /// <summary>Gets the categories, in the order they became known.</summary>
    public IReadOnlyList<BudgetCategorySnapshot> Categories { get; }

    /// <summary>Gets the input tokens used, cached ones included.</summary>
    public long InputTokens { get; }

    /// <summary>Gets the output tokens used.</summary>
    public long OutputTokens { get; }

    /// <summary>Gets the cached part of <see cref="InputTokens"/>.</summary>
    public long CachedInputTokens { get; }

    /// <summary>Gets the cost of the tokens.</summary>
    public decimal TokenCostUsd { get; }

    /// <summary>Gets the cost of the tool units that ran.</summary>
    public decimal ToolCostUsd { get; }

    /// <summary>Gets the unified cost: tokens plus tool units.</summary>
    public decimal CostUsd => TokenCostUsd + ToolCostUsd;

    /// <summary>Gets the wall-clock time since the tracker started.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Gets a value indicating whether any hard limit is reached.</summary>
    public bool IsExhausted => ExhaustedReasons.Count > 0;

    /// <summary>Gets one text per reached limit, for example <c>search budget exhausted (10 of 10 units used)</c>.</summary>
    public IReadOnlyList<string> ExhaustedReasons { get; }

    /// <summary>Gets the smallest remaining fraction over all limited budgets; 1 when nothing is limited.</summary>
    public double RemainingFraction { get; }

    /// <summary>Gets the spending regime.</summary>
    public BudgetRegime Regime { get; }

    /// <summary>Gets a category by name (case-insensitive, surrounding white space ignored).</summary>
    /// <param name="name">The category.</param>
    /// <returns>The category, or <see langword="null"/> when unknown.</returns>
    public BudgetCategorySnapshot? GetCategory(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (BudgetCategorySnapshot c in Categories)
        {
            if (CategoryName.Same(c.Name, name))
            {
                return c;
            }
        }

        return null;
    }

    /// <summary>Returns a one-line summary, for example <c>search 3/10, browse 1/10; tokens in 1200 (cached 0), out 300; cost $0.0123; elapsed 12.3s; regime High</c>.</summary>
    /// <returns>The summary.</returns>
    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (BudgetCategorySnapshot c in Categories)
        {
            if (c.Limit is null && c.Used == 0)
            {
                continue;
            }

            if (sb.Length > 0)
            {
                sb.Append(", ");
            }

            sb.Append(c.Name).Append(' ').Append(c.Used);
            if (c.Limit is { } limit)
            {
                sb.Append('/').Append(limit);
            }
        }

        if (sb.Length > 0)
        {
            sb.Append("; ");
        }

        sb.Append(CultureInfo.InvariantCulture, $"tokens in {InputTokens} (cached {CachedInputTokens}), out {OutputTokens}; cost ${CostUsd:0.####}; elapsed {Elapsed.TotalSeconds:0.0}s; regime {Regime}");
        if (IsExhausted)
        {
            sb.Append("; exhausted: ").Append(string.Join("; ", ExhaustedReasons));
        }

        return sb.ToString();
    }
}
