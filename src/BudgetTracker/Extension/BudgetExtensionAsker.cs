using System.Collections.Concurrent;
using System.Diagnostics;

namespace Agents.Budget;

/// <summary>
/// Reserves a tool call's units, and when only its category's unit limit refuses them, asks the
/// <see cref="BudgetOptions.ExtensionApprover"/> for more before refusing: granted, the limit grows
/// (<see cref="BudgetTracker.ExtendToolLimit"/>) and the reservation is tried once more. One question at a time per
/// category; calls refused meanwhile wait for it and try again after the answer (without asking again when it was a decline).
/// </summary>
internal sealed class BudgetExtensionAsker
{
    /// <summary>The units offered when <see cref="BudgetOptions.AskForMoreUnits"/> is not set.</summary>
    public const int DefaultUnits = 5;

    private readonly BudgetTracker _tracker;
    private readonly IBudgetExtensionApprover _approver;
    private readonly ConcurrentDictionary<string, AskGate> _gates = new(CategoryName.Comparer);

    public BudgetExtensionAsker(BudgetTracker tracker, IBudgetExtensionApprover approver)
    {
        _tracker = tracker;
        _approver = approver;
    }

    /// <summary>Reserves the units, asking for more when only the category's limit is in the way.</summary>
    /// <returns><see langword="null"/> when reserved; otherwise the refusal, already reported like <see cref="BudgetTracker.TryReserveCore"/>'s.</returns>
    public async ValueTask<string?> ReserveAsync(Activity? activity, ResolvedTool tool, CategoryState category, int units, CancellationToken cancellationToken)
    {
        if (_tracker.Counters.TryReserveUnits(category, units) is null)
        {
            return null;
        }

        if (!_tracker.Counters.OnlyUnitLimitRefuses(category, units))
        {
            return Refuse(tool, category, units);
        }

        AskGate gate = _gates.GetOrAdd(category.Name, static _ => new AskGate());
        int declines = Volatile.Read(ref gate.Declines);
        try
        {
            await gate.Turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return Refuse(tool, category, units);
        }

        try
        {
            if (_tracker.Counters.TryReserveUnits(category, units) is null)
            {
                return null;
            }

            if (declines == Volatile.Read(ref gate.Declines) && _tracker.Counters.OnlyUnitLimitRefuses(category, units))
            {
                if (!await AskAsync(activity, tool, category, units, cancellationToken).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref gate.Declines);
                }
            }

            return Refuse(tool, category, units);
        }
        finally
        {
            gate.Turn.Release();
        }
    }

    /// <summary>The reservation as the pipeline makes it without an approver: granted, or refused and reported.</summary>
    private string? Refuse(ResolvedTool tool, CategoryState category, int units) =>
        _tracker.TryReserveCore(category, units, tool.DisplayName, out string? reason) ? null : reason;

    /// <summary>Asks once and extends the limit when granted; records the receipt. Returns whether more was granted.</summary>
    private async ValueTask<bool> AskAsync(Activity? activity, ResolvedTool tool, CategoryState category, int units, CancellationToken cancellationToken)
    {
        long used;
        long limit;
        long spent;
        lock (_tracker.Counters.Gate)
        {
            used = category.Used;
            limit = category.Limit ?? 0;
            spent = category.Spent;
        }

        int shortfall = (int)Math.Clamp(spent + units - limit, 1, int.MaxValue);
        int offered = Math.Max(_tracker.Options.AskForMoreUnits ?? DefaultUnits, shortfall);
        var request = new BudgetExtensionRequest(category.Name, tool.DisplayName, used, limit, units, offered);
        BudgetLog.ExtensionAsked(_tracker.Events.Logger, category.Name, tool.DisplayName, used, limit, offered);

        int granted;
        Exception? error = null;
        try
        {
            granted = await _approver.RequestMoreAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            error = ex;
            granted = 0;
        }

        if (granted > 0)
        {
            limit = _tracker.ExtendToolLimit(category.Name, granted);
        }

        _tracker.Events.OnExtension(new BudgetExtensionEventArgs(request, Math.Max(0, granted), limit, error));
        ToolCallActivity.Asked(activity, offered, Math.Max(0, granted), error);
        return granted > 0;
    }

    /// <summary>The question of one category: one at a time, and how many declines it had. Lives as long as the tracker
    /// (its semaphore holds no wait handle, so nothing is left undisposed).</summary>
    private sealed class AskGate : IDisposable
    {
        public readonly SemaphoreSlim Turn = new(1, 1);
        public int Declines;

        public void Dispose() => Turn.Dispose();
    }
}
