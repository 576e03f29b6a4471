namespace Agents.Budget;

/// <summary>
/// The counters of one budget behind reservations by id: reserve units of a category for a while (a lease), then
/// commit them once the call ran or release them when it did not. A lease that is neither committed nor released
/// before it ends is released by the ledger, so a worker that dies holding units does not keep them.
/// </summary>
/// <remarks>
/// <see cref="InProcessBudgetLedger"/> keeps the counters of a <see cref="BudgetTracker"/> in this process; a
/// distributed ledger (for example the Orleans one in <c>Agents.Budget.Orleans</c>) shares one budget among many
/// processes. Implementations are thread-safe.
/// </remarks>
public interface IBudgetLedger
{
    /// <summary>Reserves units of a category atomically, for at most <paramref name="lease"/>.</summary>
    /// <param name="category">The category (case-insensitive, surrounding white space ignored).</param>
    /// <param name="units">The units, 1 or more.</param>
    /// <param name="lease">How long the units are held unless committed or released first; positive, or
    /// <see cref="Timeout.InfiniteTimeSpan"/> for a hold that never ends by itself.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A granted reservation with its id, or a denied one naming the exhausted budget.</returns>
    Task<BudgetLedgerReservation> ReserveAsync(string category, int units, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>
    /// Counts the units of a pending reservation as used: the call ran. Idempotent by reservation id: a second commit
    /// of the same reservation charges nothing.
    /// </summary>
    /// <param name="reservationId">The id from <see cref="ReserveAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>What the commit did; only <see cref="BudgetLedgerCommitStatus.Committed"/> charged units.</returns>
    Task<BudgetLedgerCommitStatus> CommitAsync(string reservationId, CancellationToken cancellationToken);

    /// <summary>
    /// Counts <paramref name="usedUnits"/> of a pending reservation as used and gives the rest back in the same step: the
    /// call ran and needed less than its worst case (a model call's actual tokens and money). Idempotent by reservation id
    /// like <see cref="CommitAsync(string, CancellationToken)"/>: once a reservation is committed, whole or in part, a
    /// second commit charges nothing.
    /// </summary>
    /// <remarks>The default implementation fails with <see cref="NotSupportedException"/> (so that a ledger written before
    /// this member never miscounts); <see cref="InProcessBudgetLedger"/> and the Orleans ledger implement it. Callers that
    /// meet a ledger without it may commit the whole reservation instead, which charges from above.</remarks>
    /// <param name="reservationId">The id from <see cref="ReserveAsync"/>.</param>
    /// <param name="usedUnits">The units used, from 0 to the units reserved.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>What the commit did; only <see cref="BudgetLedgerCommitStatus.Committed"/> charged units.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="usedUnits"/> is negative, or more than the pending
    /// reservation holds.</exception>
    /// <exception cref="NotSupportedException">The ledger does not implement partial commits.</exception>
    Task<BudgetLedgerCommitStatus> CommitAsync(string reservationId, int usedUnits, CancellationToken cancellationToken) =>
        Task.FromException<BudgetLedgerCommitStatus>(new NotSupportedException($"{GetType().Name} does not implement partial commits; commit the whole reservation instead."));

    /// <summary>Gives the units of a pending reservation back: the call did not run.</summary>
    /// <param name="reservationId">The id from <see cref="ReserveAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns><see langword="true"/> when the reservation was pending and is now released; <see langword="false"/>
    /// when it was unknown, committed, released or expired already.</returns>
    Task<bool> ReleaseAsync(string reservationId, CancellationToken cancellationToken);

    /// <summary>Gets used, limit and in-flight units per category, after releasing expired leases.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The categories the ledger knows.</returns>
    Task<IReadOnlyList<BudgetCategorySnapshot>> GetSnapshotAsync(CancellationToken cancellationToken);
}
