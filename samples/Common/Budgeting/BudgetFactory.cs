using Agents.Budget;

namespace Agents.Samples.Common.Budgeting;

/// <summary>Turns the command-line budget and prices into <see cref="BudgetOptions"/> for the search and browse tools.</summary>
public static class BudgetFactory
{
    /// <summary>The budget used when <c>--budget</c> is not given.</summary>
    public const string DefaultBudget = "search=20,browse=20";

    /// <summary>
    /// Builds the options: <c>web_search</c> units are queries, <c>browser_browse</c> units are URLs, other tools (such as <c>browser_find_in_page</c>)
    /// are free and unlimited; keys not in <paramref name="spec"/> are unlimited.
    /// </summary>
    public static BudgetOptions CreateOptions(BudgetSpec spec, PriceSpec? prices, ExhaustionBehavior onExhaustion)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var options = new BudgetOptions()
            .AddToolMapping(ResearchToolset.SearchToolName, "search", unitsArgument: "queries")
            .AddToolMapping(ResearchToolset.BrowseToolName, "browse", unitsArgument: "urls");
        foreach (var (category, limit) in new[] { ("search", spec.Search), ("browse", spec.Browse) })
        {
            if (limit is { } units)
            {
                options.SetToolLimit(category, units);
            }
            else
            {
                options.AddCategory(category);
            }
        }

        options.Pricing.SetUnitPrice(options.DefaultCategory, 0m);
        options.MaxCostUsd = spec.Usd;
        options.MaxInputTokens = spec.InputTokens;
        options.MaxOutputTokens = spec.OutputTokens;
        options.MaxDuration = spec.Time;
        options.OnExhaustion = onExhaustion;
        if (prices is not null)
        {
            options.Pricing.SetDefaultModelPrice(prices.Input, prices.Output, prices.Cached);
        }

        options.Validate();
        return options;
    }
}
