namespace Agents.Hosting;

/// <summary>The budget of one research run; a limit left empty is unlimited.</summary>
public sealed class ResearchBudgetOptions
{
    /// <summary>Gets or sets the <c>web_search</c> units (one per query).</summary>
    [Range(1, long.MaxValue)]
    public long? SearchUnits { get; set; }

    /// <summary>Gets or sets the <c>browser_browse</c> units (one per URL).</summary>
    [Range(1, long.MaxValue)]
    public long? BrowseUnits { get; set; }

    /// <summary>Gets or sets the most money, in US dollars.</summary>
    [Range(typeof(decimal), "0.000001", "1000000")]
    public decimal? MaxCostUsd { get; set; }

    /// <summary>Gets or sets the most input tokens.</summary>
    [Range(1, long.MaxValue)]
    public long? MaxInputTokens { get; set; }

    /// <summary>Gets or sets the most output tokens.</summary>
    [Range(1, long.MaxValue)]
    public long? MaxOutputTokens { get; set; }

    /// <summary>Gets or sets the most wall-clock time.</summary>
    public TimeSpan? MaxDuration { get; set; }

    /// <summary>Gets or sets what happens when the budget runs out. Default: a final answer without tools.</summary>
    public ExhaustionBehavior OnExhaustion { get; set; } = ExhaustionBehavior.FinalAnswerWithoutTools;

    /// <summary>
    /// The tracker options: the research tools mapped (<see cref="ResearchToolset.MapTools"/>), <c>search</c> and
    /// <c>browse</c> limited or unlimited, tokens, money and time.
    /// </summary>
    /// <returns>New options.</returns>
    public BudgetOptions ToBudgetOptions()
    {
        var options = ResearchToolset.MapTools(new BudgetOptions());
        foreach (var (category, limit) in new[] { ("search", SearchUnits), ("browse", BrowseUnits) })
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

        options.MaxCostUsd = MaxCostUsd;
        options.MaxInputTokens = MaxInputTokens;
        options.MaxOutputTokens = MaxOutputTokens;
        options.MaxDuration = MaxDuration;
        options.OnExhaustion = OnExhaustion;
        return options;
    }
}
