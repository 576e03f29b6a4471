namespace Agents.Budget.Orleans;

/// <summary>The counters of one category of a budget grain.</summary>
[GenerateSerializer]
internal sealed class LedgerCategoryState
{
    /// <summary>Gets or sets the name as first given.</summary>
    [Id(0)]
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the limit; <see langword="null"/> when unlimited.</summary>
    [Id(1)]
    public long? Limit { get; set; }

    /// <summary>Gets or sets the committed units.</summary>
    [Id(2)]
    public long Used { get; set; }

    /// <summary>Gets or sets the units held by pending reservations.</summary>
    [Id(3)]
    public long InFlight { get; set; }
}
