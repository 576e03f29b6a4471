namespace Agents.Samples.ChatApp.Hosting;

/// <summary>Checks a <see cref="SessionBudget"/> against the server's <see cref="ChatAppLimits"/>.</summary>
internal static class BudgetRules
{
    /// <summary>Returns a message naming the first field that is out of range, or <see langword="null"/>.</summary>
    public static string? Check(SessionBudget budget, ChatAppLimits limits, string prefix)
    {
        if (budget.SearchUnits < 0 || budget.SearchUnits > limits.MaxSearchUnits)
        {
            return $"{prefix}.searchUnits is {budget.SearchUnits}; it must be between 0 and the server maximum {limits.MaxSearchUnits}.";
        }

        if (budget.BrowseUnits < 0 || budget.BrowseUnits > limits.MaxBrowseUnits)
        {
            return $"{prefix}.browseUnits is {budget.BrowseUnits}; it must be between 0 and the server maximum {limits.MaxBrowseUnits}.";
        }

        if (budget.MaxTokens < 1 || budget.MaxTokens > limits.MaxTokens)
        {
            return $"{prefix}.maxTokens is {budget.MaxTokens}; it must be between 1 and the server maximum {limits.MaxTokens}.";
        }

        if (budget.MaxCostUsd <= 0 || budget.MaxCostUsd > limits.MaxCostUsd)
        {
            return $"{prefix}.maxCostUsd is {Money(budget.MaxCostUsd)}; it must be above 0 and at most the server maximum {Money(limits.MaxCostUsd)}.";
        }

        return null;
    }

    private static string Money(decimal value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
