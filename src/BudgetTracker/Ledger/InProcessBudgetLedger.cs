namespace Agents.Budget;

/// <summary>
/// An <see cref="IBudgetLedger"/> over the reservations of one <see cref="BudgetTracker"/> in this process
/// (<see cref="BudgetTracker.TryReserve"/>, <see cref="BudgetReservation.Commit"/>, <see cref="BudgetReservation.Release"/>):
/// what a single process needs, with no other dependency. Leases that end are released on the next call.
/// </summary>
/// <remarks>Thread-safe. A commit is idempotent by reservation id; the ids of the last
/// <see cref="RememberedCommits"/> commits are kept to answer <see cref="BudgetLedgerCommitStatus.AlreadyCommitted"/>.</remarks>
public sealed class InProcessBudgetLedger : IBudgetLedger
{
    /// <summary>How many committed reservation ids the ledger remembers.</summary>
    public const int RememberedCommits = 1024;

    private readonly BudgetTracker _tracker;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Held> _pending = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, DateTimeOffset> _expiries = new();
    private readonly HashSet<string> _committed = new(StringComparer.Ordinal);
    private readonly Queue<string> _commitOrder = new();
    private long _sequence;

    /// <summary>Initializes a new instance of the <see cref="InProcessBudgetLedger"/> class.</summary>
    /// <param name="tracker">The tracker whose counters the ledger reserves from.</param>
    /// <param name="timeProvider">The clock of the leases; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public InProcessBudgetLedger(BudgetTracker tracker, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        _tracker = tracker;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the tracker whose counters the ledger reserves from.</summary>
    public BudgetTracker Tracker => _tracker;

    /// <inheritdoc/>
    public Task<BudgetLedgerReservation> ReserveAsync(string category, int units, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(category);
        ArgumentOutOfRangeException.ThrowIfLessThan(units, 1);
        if (lease <= TimeSpan.Zero && lease != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(lease), lease, "The lease must be positive or infinite.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            DateTimeOffset now = _time.GetUtcNow();
            ReleaseExpired(now);
            BudgetReservation reservation = _tracker.TryReserve(category, units);
            if (!reservation.Granted)
            {
                return Task.FromResult(new BudgetLedgerReservation(null, reservation.Category, units, null, reservation.DeniedReason));
            }

            string id = (++_sequence).ToString(CultureInfo.InvariantCulture);
            DateTimeOffset? expiresAt = lease == Timeout.InfiniteTimeSpan ? null : now + lease;
            _pending.Add(id, new Held(reservation, expiresAt));
            if (expiresAt is { } at)
            {
                _expiries.Enqueue(id, at);
            }

            return Task.FromResult(new BudgetLedgerReservation(id, reservation.Category, units, expiresAt, null));
        }
    }

    /// <inheritdoc/>
    public Task<BudgetLedgerCommitStatus> CommitAsync(string reservationId, CancellationToken cancellationToken) =>
        Commit(reservationId, null, cancellationToken);

    /// <inheritdoc/>
    public Task<BudgetLedgerCommitStatus> CommitAsync(string reservationId, int usedUnits, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(usedUnits);
        return Commit(reservationId, usedUnits, cancellationToken);
    }

    private Task<BudgetLedgerCommitStatus> Commit(string reservationId, int? usedUnits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reservationId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ReleaseExpired(_time.GetUtcNow());
            if (_pending.TryGetValue(reservationId, out Held? held))
            {
                int used = usedUnits ?? held.Reservation.Units;
                ArgumentOutOfRangeException.ThrowIfGreaterThan(used, held.Reservation.Units, nameof(usedUnits));
                _pending.Remove(reservationId);
                held.Reservation.CommitUsed(used);
                Remember(reservationId);
                return Task.FromResult(BudgetLedgerCommitStatus.Committed);
            }

            return Task.FromResult(_committed.Contains(reservationId) ? BudgetLedgerCommitStatus.AlreadyCommitted : BudgetLedgerCommitStatus.NotPending);
        }
    }

    /// <inheritdoc/>
    public Task<bool> ReleaseAsync(string reservationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reservationId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ReleaseExpired(_time.GetUtcNow());
            if (_pending.Remove(reservationId, out Held? held))
            {
                held.Reservation.Release();
                return Task.FromResult(true);
            }

            return Task.FromResult(false);
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<BudgetCategorySnapshot>> GetSnapshotAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ReleaseExpired(_time.GetUtcNow());
        }

        return Task.FromResult(_tracker.GetSnapshot().Categories);
    }

    private void ReleaseExpired(DateTimeOffset now)
    {
        while (_expiries.TryPeek(out string? id, out DateTimeOffset at) && at <= now)
        {
            _expiries.Dequeue();
            if (_pending.Remove(id, out Held? held))
            {
                held.Reservation.Release();
            }
        }
    }

    private void Remember(string id)
    {
        _committed.Add(id);
        _commitOrder.Enqueue(id);
        if (_commitOrder.Count > RememberedCommits)
        {
            _committed.Remove(_commitOrder.Dequeue());
        }
    }

    private sealed record Held(BudgetReservation Reservation, DateTimeOffset? ExpiresAt);
}
