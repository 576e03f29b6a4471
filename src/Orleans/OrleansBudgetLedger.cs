namespace Agents.Budget.Orleans;

/// <summary>
/// An <see cref="IBudgetLedger"/> whose counters live in one <see cref="IBudgetLedgerGrain"/> per budget id, shared by
/// every process of an Orleans cluster: N replicas spend one budget, not N.
/// </summary>
/// <remarks>The silos need <c>AddBudgetLedger()</c> and a grain storage named <see cref="StorageName"/> (Redis or
/// ADO.NET for durability; memory storage only for tests). The grain knows no prices: <see cref="BudgetCategorySnapshot.CostUsd"/> is 0.</remarks>
public sealed class OrleansBudgetLedger : IBudgetLedger
{
    /// <summary>The name of the grain storage provider the budget grains persist through.</summary>
    public const string StorageName = "budgets";

    private readonly IBudgetLedgerGrain _grain;

    /// <summary>Initializes a new instance of the <see cref="OrleansBudgetLedger"/> class.</summary>
    /// <param name="grains">The grain factory: a cluster client, or a silo's.</param>
    /// <param name="budgetId">The budget id; every ledger with the same id shares one budget.</param>
    public OrleansBudgetLedger(IGrainFactory grains, string budgetId)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentException.ThrowIfNullOrWhiteSpace(budgetId);
        BudgetId = budgetId;
        _grain = grains.GetGrain<IBudgetLedgerGrain>(budgetId);
    }

    /// <summary>Gets the budget id.</summary>
    public string BudgetId { get; }

    /// <summary>Sets or removes the unit limit of a category of the shared budget.</summary>
    /// <param name="category">The category (case-insensitive, surrounding white space ignored).</param>
    /// <param name="limit">The limit, 0 or more; <see langword="null"/> for unlimited.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes once the limit is stored.</returns>
    public Task SetLimitAsync(string category, long? limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(category);
        return _grain.SetLimitAsync(category, limit).WaitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<BudgetLedgerReservation> ReserveAsync(string category, int units, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(category);
        ArgumentOutOfRangeException.ThrowIfLessThan(units, 1);
        if (lease <= TimeSpan.Zero && lease != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(lease), lease, "The lease must be positive or infinite.");
        }

        LedgerReserveResult r = await _grain.ReserveAsync(category, units, lease).WaitAsync(cancellationToken).ConfigureAwait(false);
        return new BudgetLedgerReservation(r.ReservationId, r.Category, units, r.ExpiresAt, r.DeniedReason);
    }

    /// <inheritdoc/>
    public Task<BudgetLedgerCommitStatus> CommitAsync(string reservationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reservationId);
        return _grain.CommitAsync(reservationId).WaitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public Task<BudgetLedgerCommitStatus> CommitAsync(string reservationId, int usedUnits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reservationId);
        ArgumentOutOfRangeException.ThrowIfNegative(usedUnits);
        return _grain.CommitUsedAsync(reservationId, usedUnits).WaitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> ReleaseAsync(string reservationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reservationId);
        return _grain.ReleaseAsync(reservationId).WaitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<BudgetCategorySnapshot>> GetSnapshotAsync(CancellationToken cancellationToken)
    {
        List<LedgerCategoryView> views = await _grain.GetSnapshotAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return views
            .Select(v => new BudgetCategorySnapshot(v.Name, v.Used, v.Limit, v.Limit is { } l ? Math.Max(0, l - v.Used - v.InFlight) : null, v.InFlight, 0m))
            .ToList();
    }
}
