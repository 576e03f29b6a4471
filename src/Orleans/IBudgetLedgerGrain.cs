namespace Agents.Budget.Orleans;

/// <summary>
/// One budget shared by a cluster, keyed by budget id: its unit limits, used units and pending reservations (leases).
/// Callers normally go through <see cref="OrleansBudgetLedger"/>.
/// </summary>
public interface IBudgetLedgerGrain : IGrainWithStringKey
{
    /// <summary>Sets or removes the unit limit of a category.</summary>
    /// <param name="category">The category (case-insensitive, surrounding white space ignored).</param>
    /// <param name="limit">The limit, 0 or more; <see langword="null"/> for unlimited.</param>
    /// <returns>A task that completes once the limit is stored.</returns>
    Task SetLimitAsync(string category, long? limit);

    /// <summary>Reserves units of a category for at most <paramref name="lease"/>.</summary>
    /// <param name="category">The category.</param>
    /// <param name="units">The units, 1 or more.</param>
    /// <param name="lease">The lease; positive, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <returns>The reservation id and lease end, or the reason of the denial.</returns>
    Task<LedgerReserveResult> ReserveAsync(string category, int units, TimeSpan lease);

    /// <summary>Commits a pending reservation; idempotent by reservation id.</summary>
    /// <param name="reservationId">The reservation id.</param>
    /// <returns>What the commit did.</returns>
    Task<BudgetLedgerCommitStatus> CommitAsync(string reservationId);

    /// <summary>
    /// Commits <paramref name="usedUnits"/> of a pending reservation and releases the rest in the same step; idempotent by
    /// reservation id like <see cref="CommitAsync(string)"/> (a reservation committed whole or in part charges nothing more).
    /// </summary>
    /// <param name="reservationId">The reservation id.</param>
    /// <param name="usedUnits">The units used, from 0 to the units reserved.</param>
    /// <returns>What the commit did.</returns>
    Task<BudgetLedgerCommitStatus> CommitUsedAsync(string reservationId, int usedUnits);

    /// <summary>Releases a pending reservation.</summary>
    /// <param name="reservationId">The reservation id.</param>
    /// <returns><see langword="true"/> when it was pending.</returns>
    Task<bool> ReleaseAsync(string reservationId);

    /// <summary>Gets used, limit and in-flight units per category, after releasing expired leases.</summary>
    /// <returns>The categories.</returns>
    Task<List<LedgerCategoryView>> GetSnapshotAsync();
}
