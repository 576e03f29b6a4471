namespace Agents.Hosting;

/// <summary>Which agent answers and on what budget, bound from an <c>Agent</c> configuration section.</summary>
public sealed class ResearchAgentOptions
{
    /// <summary>The usual configuration section name.</summary>
    public const string SectionName = "Agent";

    /// <summary>Gets or sets the strategy (see <see cref="ResearchAgents.Strategies"/>). Default <c>bats</c>.</summary>
    [Required]
    public string Strategy { get; set; } = "bats";

    /// <summary>Gets or sets the budget of one run.</summary>
    [ValidateObjectMembers]
    public ResearchBudgetOptions Budget { get; set; } = new();
}
