namespace Agents.Planners.Runs;

/// <summary>Reads a budget snapshot for the agent loops.</summary>
internal static class BudgetChecks
{
    /// <summary>
    /// Tells whether only tool categories are spent (tokens, money and time remain), so one more model call without
    /// tools for a final answer stays within the limits.
    /// </summary>
    public static bool OnlyToolsExhausted(BudgetSnapshot snapshot)
    {
        int spentCategories = snapshot.Categories.Count(c => c.Limit is long limit && c.Used >= limit);
        return spentCategories > 0 && spentCategories == snapshot.ExhaustedReasons.Count;
    }
}
