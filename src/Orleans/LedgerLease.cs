namespace Agents.Budget.Orleans;

/// <summary>A pending reservation of a budget grain.</summary>
[GenerateSerializer]
internal sealed class LedgerLease
{
    /// <summary>Gets or sets the category key.</summary>
    [Id(0)]
    public string CategoryKey { get; set; } = string.Empty;

    /// <summary>Gets or sets the units.</summary>
    [Id(1)]
    public int Units { get; set; }

    /// <summary>Gets or sets when the lease ends; <see langword="null"/> for never.</summary>
    [Id(2)]
    public DateTimeOffset? ExpiresAt { get; set; }
}
