namespace Agents.Budget.Orleans;

/// <summary>The persisted state of one budget grain.</summary>
[GenerateSerializer]
internal sealed class BudgetLedgerGrainState
{
    /// <summary>Gets or sets the epoch that prefixes every reservation id, so that ids are never reused.</summary>
    [Id(0)]
    public string Epoch { get; set; } = string.Empty;

    /// <summary>Gets or sets the sequence number of the last reservation.</summary>
    [Id(1)]
    public long Sequence { get; set; }

    /// <summary>Gets or sets the categories, keyed by upper-case trimmed name.</summary>
    [Id(2)]
    public Dictionary<string, LedgerCategoryState> Categories { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets the pending reservations, keyed by reservation id.</summary>
    [Id(3)]
    public Dictionary<string, LedgerLease> Pending { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets which of the recent reservations (by sequence number, this epoch) were committed.</summary>
    [Id(5)]
    public CommitWindow Committed { get; set; } = new();
}
