using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Agents.Budget.Orleans;

/// <summary>
/// The grain of one budget: limits, used units and leases, persisted through the grain storage named
/// <see cref="OrleansBudgetLedger.StorageName"/> on every change, before the caller gets its answer.
/// </summary>
/// <remarks>Expired leases are released lazily at the start of every call, and by a grain timer while the grain
/// is active, so units held by a dead worker come back without anyone asking for them.</remarks>
internal sealed partial class BudgetLedgerGrain : Grain, IBudgetLedgerGrain
{

    private static readonly TimeSpan SweepPeriod = TimeSpan.FromSeconds(1);

    private readonly IPersistentState<BudgetLedgerGrainState> _state;
    private readonly TimeProvider _time;
    private readonly ILogger<BudgetLedgerGrain> _logger;
    private IGrainTimer? _timer;
    private DateTimeOffset? _nextExpiry;

    public BudgetLedgerGrain(
        [PersistentState("ledger", OrleansBudgetLedger.StorageName)] IPersistentState<BudgetLedgerGrainState> state,
        TimeProvider time,
        ILogger<BudgetLedgerGrain> logger)
    {
        _state = state;
        _time = time;
        _logger = logger;
    }

    private BudgetLedgerGrainState State => _state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.Epoch.Length == 0)
        {
            State.Epoch = Guid.NewGuid().ToString("N");
            await _state.WriteStateAsync(cancellationToken).ConfigureAwait(true);
        }

        _nextExpiry = EarliestExpiry();
        _timer = this.RegisterGrainTimer(SweepAsync, new GrainTimerCreationOptions(SweepPeriod, SweepPeriod) { KeepAlive = false });
        await base.OnActivateAsync(cancellationToken).ConfigureAwait(true);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    public async Task SetLimitAsync(string category, long? limit)
    {
        if (limit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "The limit must be 0 or more.");
        }

        ReleaseExpired();
        GetOrAdd(category).Limit = limit;
        await _state.WriteStateAsync().ConfigureAwait(true);
    }

    public async Task<LedgerReserveResult> ReserveAsync(string category, int units, TimeSpan lease)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(units, 1);
        if (lease <= TimeSpan.Zero && lease != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(lease), lease, "The lease must be positive or infinite.");
        }

        bool released = ReleaseExpired();
        LedgerCategoryState c = GetOrAdd(category);
        if (c.Limit is { } limit && c.Used + c.InFlight + units > limit)
        {
            if (released)
            {
                await _state.WriteStateAsync().ConfigureAwait(true);
            }

            string reason = string.Create(CultureInfo.InvariantCulture, $"{c.Name} budget exhausted ({c.Used} of {limit} units used, {c.InFlight} in flight, {units} asked)");
            return new LedgerReserveResult { Category = c.Name, DeniedReason = reason };
        }

        string id = string.Create(CultureInfo.InvariantCulture, $"{State.Epoch}-{++State.Sequence}");
        DateTimeOffset? expiresAt = lease == Timeout.InfiniteTimeSpan ? null : _time.GetUtcNow() + lease;
        c.InFlight += units;
        State.Pending.Add(id, new LedgerLease { CategoryKey = Key(category), Units = units, ExpiresAt = expiresAt });
        if (expiresAt is { } at && (_nextExpiry is null || at < _nextExpiry))
        {
            _nextExpiry = at;
        }

        await _state.WriteStateAsync().ConfigureAwait(true);
        return new LedgerReserveResult { ReservationId = id, Category = c.Name, ExpiresAt = expiresAt };
    }

    public Task<BudgetLedgerCommitStatus> CommitAsync(string reservationId) => CommitCoreAsync(reservationId, null);

    public Task<BudgetLedgerCommitStatus> CommitUsedAsync(string reservationId, int usedUnits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(usedUnits);
        return CommitCoreAsync(reservationId, usedUnits);
    }

    private async Task<BudgetLedgerCommitStatus> CommitCoreAsync(string reservationId, int? usedUnits)
    {
        ArgumentNullException.ThrowIfNull(reservationId);
        bool released = ReleaseExpired();
        if (State.Pending.TryGetValue(reservationId, out LedgerLease? lease))
        {
            int used = usedUnits ?? lease.Units;
            if (used > lease.Units)
            {
                if (released)
                {
                    await _state.WriteStateAsync().ConfigureAwait(true);
                }

                throw new ArgumentOutOfRangeException(nameof(usedUnits), used, string.Create(CultureInfo.InvariantCulture, $"The reservation holds {lease.Units} units."));
            }

            State.Pending.Remove(reservationId);
            LedgerCategoryState c = State.Categories[lease.CategoryKey];
            c.InFlight -= lease.Units;
            c.Used += used;
            if (SequenceOf(reservationId) is { } sequence)
            {
                State.Committed.Add(sequence);
            }

            await _state.WriteStateAsync().ConfigureAwait(true);
            return BudgetLedgerCommitStatus.Committed;
        }

        if (released)
        {
            await _state.WriteStateAsync().ConfigureAwait(true);
        }

        return SequenceOf(reservationId) is { } seq && State.Committed.Contains(seq)
            ? BudgetLedgerCommitStatus.AlreadyCommitted
            : BudgetLedgerCommitStatus.NotPending;
    }

    public async Task<bool> ReleaseAsync(string reservationId)
    {
        ArgumentNullException.ThrowIfNull(reservationId);
        bool released = ReleaseExpired();
        bool pending = State.Pending.Remove(reservationId, out LedgerLease? lease);
        if (pending)
        {
            State.Categories[lease!.CategoryKey].InFlight -= lease.Units;
        }

        if (pending || released)
        {
            await _state.WriteStateAsync().ConfigureAwait(true);
        }

        return pending;
    }

    public async Task<List<LedgerCategoryView>> GetSnapshotAsync()
    {
        if (ReleaseExpired())
        {
            await _state.WriteStateAsync().ConfigureAwait(true);
        }

        return State.Categories.Values
            .Select(c => new LedgerCategoryView { Name = c.Name, Used = c.Used, Limit = c.Limit, InFlight = c.InFlight })
            .ToList();
    }

    /// <summary>The sequence number of one of this budget's reservation ids (<c>{epoch}-{sequence}</c>), or null for any other id.</summary>
    private long? SequenceOf(string reservationId)
    {
        string prefix = State.Epoch + "-";
        return reservationId.StartsWith(prefix, StringComparison.Ordinal)
            && long.TryParse(reservationId.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out long sequence)
            ? sequence
            : null;
    }

    private static string Key(string category)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(category);
        return category.Trim().ToUpperInvariant();
    }

    private LedgerCategoryState GetOrAdd(string category)
    {
        string key = Key(category);
        if (!State.Categories.TryGetValue(key, out LedgerCategoryState? c))
        {
            c = new LedgerCategoryState { Name = category.Trim() };
            State.Categories.Add(key, c);
        }

        return c;
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        if (ReleaseExpired())
        {
            await _state.WriteStateAsync(cancellationToken).ConfigureAwait(true);
        }
    }

    /// <summary>Releases every lease that ended; returns whether any did.</summary>
    private bool ReleaseExpired()
    {
        DateTimeOffset now = _time.GetUtcNow();
        if (_nextExpiry is not { } next || next > now)
        {
            return false;
        }

        List<string>? ended = null;
        foreach ((string id, LedgerLease lease) in State.Pending)
        {
            if (lease.ExpiresAt is { } at && at <= now)
            {
                (ended ??= []).Add(id);
            }
        }

        foreach (string id in ended ?? [])
        {
            State.Pending.Remove(id, out LedgerLease? lease);
            State.Categories[lease!.CategoryKey].InFlight -= lease.Units;
            LogLeaseExpired(id, lease.Units, State.Categories[lease.CategoryKey].Name);
        }

        _nextExpiry = EarliestExpiry();
        return ended is not null;
    }

    private DateTimeOffset? EarliestExpiry()
    {
        DateTimeOffset? earliest = null;
        foreach (LedgerLease lease in State.Pending.Values)
        {
            if (lease.ExpiresAt is { } at && (earliest is null || at < earliest))
            {
                earliest = at;
            }
        }

        return earliest;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Lease {ReservationId} ended: {Units} {Category} units released")]
    private partial void LogLeaseExpired(string reservationId, int units, string category);
}
