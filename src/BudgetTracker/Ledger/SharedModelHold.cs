using Microsoft.Extensions.Logging;

namespace Agents.Budget;

/// <summary>
/// The part of a model call's reservation held in a <see cref="BudgetOptions.SharedLedger"/>: one reservation for each
/// of <see cref="SharedLedgerCategories.InputTokens"/>, <see cref="SharedLedgerCategories.OutputTokens"/> and
/// <see cref="SharedLedgerCategories.CostMicroUsd"/> the worst case needs (none for 0 units). After the call only the
/// actual usage is committed (a partial commit), the rest released.
/// </summary>
/// <remarks>
/// Usage beyond a category's reservation (a prompt counted from below, a model that ignored its cap) is reserved and
/// committed on its own when the shared budget still allows it, and logged as not counted when it does not: the shared
/// counters never go beyond their limits. Settling never throws: a ledger that cannot be reached is logged, and its
/// leases then end by themselves.
/// </remarks>
internal sealed class SharedModelHold
{
    private readonly IBudgetLedger _ledger;
    private readonly TimeSpan _lease;
    private readonly ILogger _logger;
    private readonly Part[] _parts;

    private SharedModelHold(IBudgetLedger ledger, TimeSpan lease, ILogger logger, Part[] parts)
    {
        _ledger = ledger;
        _lease = lease;
        _logger = logger;
        _parts = parts;
    }

    /// <summary>
    /// Reserves a model call's worst case in the shared ledger, all categories at once. When one is denied or cannot be
    /// reached, those granted are released and the reason is returned.
    /// </summary>
    /// <returns>The hold, or the reason the model call may not be made.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (nothing stays held).</exception>
    public static async Task<(SharedModelHold? Hold, string? DeniedReason)> ReserveAsync(
        IBudgetLedger ledger, TimeSpan lease, ILogger logger, long inputTokens, long outputTokens, long costMicroUsd, CancellationToken cancellationToken)
    {
        (string Category, long Units)[] asked =
        [
            (SharedLedgerCategories.InputTokens, inputTokens),
            (SharedLedgerCategories.OutputTokens, outputTokens),
            (SharedLedgerCategories.CostMicroUsd, costMicroUsd),
        ];
        foreach ((string category, long units) in asked)
        {
            if (units > int.MaxValue)
            {
                return (null, string.Create(CultureInfo.InvariantCulture, $"The model call's worst case of {units} {category} is more than one shared-ledger reservation holds ({int.MaxValue}); the model call was not made."));
            }
        }

        Part[] parts = await Task.WhenAll(asked.Select(a => ReserveOneAsync(ledger, a.Category, (int)a.Units, lease, logger, cancellationToken))).ConfigureAwait(false);
        var hold = new SharedModelHold(ledger, lease, logger, parts);
        Part? refused = Array.Find(parts, p => p.Failure is not null);
        if (refused is null && !cancellationToken.IsCancellationRequested)
        {
            return (hold, null);
        }

        await hold.ReleaseAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return (null, refused!.Failure);
    }

    /// <summary>Commits the call's actual usage in every category and releases the rest of each reservation.</summary>
    /// <param name="inputTokens">The input tokens used.</param>
    /// <param name="outputTokens">The output tokens used.</param>
    /// <param name="costMicroUsd">The money spent, in millionths of a US dollar (rounded up).</param>
    /// <returns>A task that completes once the ledger answered (or failed, which is logged).</returns>
    public Task CommitAsync(long inputTokens, long outputTokens, long costMicroUsd) =>
        Task.WhenAll(
            CommitOneAsync(_parts[0], inputTokens),
            CommitOneAsync(_parts[1], outputTokens),
            CommitOneAsync(_parts[2], costMicroUsd));

    /// <summary>Releases every reservation: the call was not made or failed.</summary>
    /// <returns>A task that completes once the ledger answered (or failed, which is logged).</returns>
    public Task ReleaseAsync() => Task.WhenAll(_parts.Where(p => p.ReservationId is not null).Select(ReleaseOneAsync));

    private static async Task<Part> ReserveOneAsync(IBudgetLedger ledger, string category, int units, TimeSpan lease, ILogger logger, CancellationToken cancellationToken)
    {
        if (units <= 0)
        {
            return new Part(category, 0, null, null);
        }

        try
        {
            BudgetLedgerReservation r = await ledger.ReserveAsync(category, units, lease, cancellationToken).ConfigureAwait(false);
            return r.Granted
                ? new Part(category, units, r.ReservationId, null)
                : new Part(category, units, null, $"The shared {category} budget refused this model call: {r.DeniedReason}. The model call was not made.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            BudgetLog.SharedLedgerFailed(logger, category, ex);
            return new Part(category, units, null, $"The shared {category} budget could not be reached, so the model call was not made ({ex.GetType().Name}).");
        }
        catch (OperationCanceledException)
        {
            return new Part(category, units, null, "The model call was cancelled.");
        }
    }

    private async Task CommitOneAsync(Part part, long used)
    {
        used = Math.Max(0, used);
        long held = part.ReservationId is null ? 0 : part.Units;
        try
        {
            if (part.ReservationId is { } id)
            {
                await CommitPartAsync(part, id, (int)Math.Min(used, held)).ConfigureAwait(false);
            }

            if (used > held)
            {
                await CommitBeyondAsync(part.Category, used - held).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            BudgetLog.SharedLedgerFailed(_logger, part.Category, ex);
        }
    }

    private async Task CommitPartAsync(Part part, string id, int used)
    {
        try
        {
            await _ledger.CommitAsync(id, used, CancellationToken.None).ConfigureAwait(false);
        }
        catch (NotSupportedException)
        {
            // A ledger without partial commits: the whole worst case is charged, from above, so its cap still holds.
            BudgetLog.SharedPartialCommitUnsupported(_logger, part.Category);
            await _ledger.CommitAsync(id, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Counts usage the call had beyond its reservation, when the shared budget still allows it.</summary>
    private async Task CommitBeyondAsync(string category, long units)
    {
        if (units > int.MaxValue)
        {
            BudgetLog.SharedUsageNotCounted(_logger, units, category, "more than one reservation holds");
            return;
        }

        BudgetLedgerReservation r = await _ledger.ReserveAsync(category, (int)units, _lease, CancellationToken.None).ConfigureAwait(false);
        if (r.ReservationId is not { } id)
        {
            BudgetLog.SharedUsageNotCounted(_logger, units, category, r.DeniedReason ?? "denied");
            return;
        }

        await _ledger.CommitAsync(id, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task ReleaseOneAsync(Part part)
    {
        try
        {
            await _ledger.ReleaseAsync(part.ReservationId!, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            BudgetLog.SharedLedgerFailed(_logger, part.Category, ex);
        }
    }

    /// <summary>One category's reservation: granted with its id, refused with the reason, or not needed (0 units).</summary>
    private sealed record Part(string Category, int Units, string? ReservationId, string? Failure);
}
