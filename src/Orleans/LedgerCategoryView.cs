namespace Agents.Budget.Orleans;

/// <summary>One category of a budget grain, as returned by <see cref="IBudgetLedgerGrain.GetSnapshotAsync"/>.</summary>
[GenerateSerializer]
[Immutable]
public sealed class LedgerCategoryView
{
    /// <summary>Gets or sets the category name.</summary>
    [Id(0)]
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the committed units.</summary>
    [Id(1)]
    public long Used { get; set; }

    /// <summary>Gets or sets the limit; <see langword="null"/> when unlimited.</summary>
    [Id(2)]
    public long? Limit { get; set; }

    /// <summary>Gets or sets the units held by pending reservations.</summary>
    [Id(3)]
    public long InFlight { get; set; }
}
