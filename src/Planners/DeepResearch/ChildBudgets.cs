using Agents.Budget;

namespace Agents.Planners.DeepResearch;

/// <summary>Splits what remains of a tracker's limits evenly into the limits of parallel children.</summary>
internal static class ChildBudgets
{
    /// <summary>
    /// The limits of one of <paramref name="count"/> children: each limit of the parent (tool units, tokens, money) is
    /// its remainder divided by <paramref name="count"/>, rounded down (at least the smallest valid limit; the parent's own
    /// limits still bound every child, see <see cref="BudgetTracker.CreateChild"/>). Categories and tool mappings are copied.
    /// </summary>
    public static BudgetOptions Split(BudgetTracker parent, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var options = parent.Options;
        var snapshot = parent.GetSnapshot();
        var child = new BudgetOptions
        {
            DefaultCategory = options.DefaultCategory,
            OnExhaustion = options.OnExhaustion,
            BudgetBlockTemplate = options.BudgetBlockTemplate,
        };
        foreach (var category in options.Categories)
        {
            child.AddCategory(category);
        }

        foreach (var mapping in options.ToolMappings)
        {
            child.AddToolMapping(mapping);
        }

        foreach (var (category, limit) in options.ToolLimits)
        {
            var state = snapshot.GetCategory(category);
            var remaining = state is null ? limit : (state.Remaining ?? limit) - state.InFlight;
            child.SetToolLimit(category, Math.Max(1, Math.Max(0, remaining) / count));
        }

        if (options.MaxInputTokens is { } maxIn)
        {
            child.MaxInputTokens = Math.Max(1, Math.Max(0, maxIn - snapshot.InputTokens) / count);
        }

        if (options.MaxOutputTokens is { } maxOut)
        {
            child.MaxOutputTokens = Math.Max(1, Math.Max(0, maxOut - snapshot.OutputTokens) / count);
        }

        if (options.MaxCostUsd is { } maxCost)
        {
            var share = decimal.Round(Math.Max(0, maxCost - snapshot.CostUsd) / count, 8, MidpointRounding.ToZero);
            child.MaxCostUsd = share > 0 ? share : 0.00000001m;
        }

        return child;
    }
}
