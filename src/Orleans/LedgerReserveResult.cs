namespace Agents.Budget.Orleans;

/// <summary>The answer of <see cref="IBudgetLedgerGrain.ReserveAsync"/>.</summary>
[GenerateSerializer]
[Immutable]
public sealed class LedgerReserveResult
{
    /// <summary>Gets or sets the reservation id; <see langword="null"/> when denied.</summary>
    [Id(0)]
    public string? ReservationId { get; set; }

    /// <summary>Gets or sets the category as the budget names it.</summary>
    [Id(1)]
    public string Category { get; set; } = string.Empty;

    /// <summary>Gets or sets when the lease ends; <see langword="null"/> when denied or never.</summary>
    [Id(2)]
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>Gets or sets the reason of a denial; <see langword="null"/> when granted.</summary>
    [Id(3)]
    public string? DeniedReason { get; set; }
}
