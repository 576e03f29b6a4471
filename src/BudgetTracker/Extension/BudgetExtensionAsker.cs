using System.Collections.Concurrent;
using System.Diagnostics;

namespace Agents.Budget;

/// <summary>
/// Reserves a tool call's units, and when only its category's unit limit refuses them, asks the
/// <see cref="BudgetOptions.ExtensionApprover"/> for more before refusing: granted, the limit grows
/// (<see cref="BudgetTracker.ExtendToolLimit"/>) and the reservation is tried once more. One question at a time per
/// category; calls refused meanwhile wait for it and try again after the answer. A decline is final for the category
/// (until <see cref="BudgetTracker.Reset"/> or <see cref="BudgetTracker.ExtendToolLimit"/>): its later calls are refused
/// without asking, and the category counts as exhausted again (<see cref="BudgetTracker.IsExhausted"/>). An approver that
/// throws or is cancelled declines this call only.
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

            if (_tracker.Counters.OnlyUnitLimitRefuses(category, units))
            {
                await AskAsync(activity, tool, category, units, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Asks once and extends the limit when granted, or marks the category declined; records the receipt.</summary>
    private async ValueTask AskAsync(Activity? activity, ResolvedTool tool, CategoryState category, int units, CancellationToken cancellationToken)
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
        else if (error is null)
        {
            lock (_tracker.Counters.Gate)
            {
                category.ExtensionDeclined = true;
            }
        }

        _tracker.Events.OnExtension(new BudgetExtensionEventArgs(request, Math.Max(0, granted), limit, error));
        ToolCallActivity.Asked(activity, offered, Math.Max(0, granted), error);
    }

    /// <summary>The question of one category, one at a time. Lives as long as the tracker (its semaphore holds no wait
    /// handle, so nothing is left undisposed).</summary>
    private sealed class AskGate : IDisposable
    {
        public readonly SemaphoreSlim Turn = new(1, 1);

        public void Dispose() => Turn.Dispose();
    }
}
