namespace Agents.Planners.DeepResearch;

/// <summary>Splits what remains of a tracker's limits evenly into the limits of parallel children.</summary>
internal static class ChildBudgets
{
    /// <summary>
    /// The limits of one of <paramref name="count"/> children: each limit of the parent (tool units, tokens, money) is
    /// its remainder divided by <paramref name="count"/>, rounded down (at least the smallest valid limit; the parent's own
    /// limits still bound every child, see <see cref="BudgetTracker.CreateChild"/>).
    /// </summary>
    public static ChildLimits Share(BudgetTracker parent, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var options = parent.Options;
        var snapshot = parent.GetSnapshot();
        var units = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var (category, limit) in options.ToolLimits)
        {
            var state = snapshot.GetCategory(category);
            var remaining = state is null ? limit : (state.Remaining ?? limit) - state.InFlight;
            units[category] = Math.Max(1, Math.Max(0, remaining) / count);
        }

        long? input = options.MaxInputTokens is { } maxIn ? Math.Max(1, Math.Max(0, maxIn - snapshot.InputTokens) / count) : null;
        long? output = options.MaxOutputTokens is { } maxOut ? Math.Max(1, Math.Max(0, maxOut - snapshot.OutputTokens) / count) : null;
        decimal? cost = null;
        if (options.MaxCostUsd is { } maxCost)
        {
            var share = decimal.Round(Math.Max(0, maxCost - snapshot.CostUsd) / count, 8, MidpointRounding.ToZero);
            cost = share > 0 ? share : 0.00000001m;
        }

        return new ChildLimits(units, input, output, cost);
    }

    /// <summary>
    /// The options of a child with <paramref name="limits"/>: the parent's categories, tool mappings, exhaustion behaviour
    /// and block template are copied, and <paramref name="categories"/> (those of a spend to restore into it) added.
    /// </summary>
    public static BudgetOptions ToOptions(BudgetTracker parent, ChildLimits limits, IEnumerable<string> categories)
    {
        var options = parent.Options;
        var child = new BudgetOptions
        {
            DefaultCategory = options.DefaultCategory,
            OnExhaustion = options.OnExhaustion,
            BudgetBlockTemplate = options.BudgetBlockTemplate,
            MaxInputTokens = limits.MaxInputTokens,
            MaxOutputTokens = limits.MaxOutputTokens,
            MaxCostUsd = limits.MaxCostUsd,
        };
        foreach (var category in options.Categories.Concat(categories))
        {
            child.AddCategory(category);
        }

        foreach (var mapping in options.ToolMappings)
        {
            child.AddToolMapping(mapping);
        }

        foreach (var (category, limit) in limits.ToolLimits)
        {
            child.SetToolLimit(category, limit);
        }

        return child;
    }
}
