namespace Agents.Samples.ChatApp.Hosting;

/// <summary>The budget a user sets for a run in the page, checked against <see cref="ChatAppLimits"/>.</summary>
internal sealed class SessionBudget
{
    /// <summary>Gets or sets the search units (one per query).</summary>
    public int SearchUnits { get; set; }

    /// <summary>Gets or sets the browse units (one per URL).</summary>
    public int BrowseUnits { get; set; }

    /// <summary>Gets or sets the model tokens (input + output).</summary>
    public long MaxTokens { get; set; }

    /// <summary>Gets or sets the money in US dollars.</summary>
    public decimal MaxCostUsd { get; set; }
}
