namespace Agents.Budget;

/// <summary>The answer of <see cref="IBudgetLedger.ReserveAsync"/>.</summary>
/// <param name="ReservationId">The id to commit or release; <see langword="null"/> when denied.</param>
/// <param name="Category">The category.</param>
/// <param name="Units">The units asked for.</param>
/// <param name="ExpiresAt">When the lease ends unless committed or released; <see langword="null"/> when denied or never.</param>
/// <param name="DeniedReason">The text naming the exhausted budget; <see langword="null"/> when granted.</param>
public sealed record BudgetLedgerReservation(string? ReservationId, string Category, int Units, DateTimeOffset? ExpiresAt, string? DeniedReason)
{
    /// <summary>Gets a value indicating whether the units were reserved.</summary>
    public bool Granted => ReservationId is not null;
}
