using System.Diagnostics;

namespace Agents.Budget;

/// <summary>
/// The one charge path of a tool call: count its units from its arguments, reserve them atomically, run the tool only
/// when granted (a call refused only because its category is spent first waits for the <see cref="BudgetOptions.ExtensionApprover"/>,
/// see <see cref="BudgetExtensionAsker"/>; as the <see cref="ToolChargeContext.Current"/> call, so that it can refund work it refused), commit
/// what it used or release everything when it threw or was cancelled, and format what the model sees, in one <c>execute_tool</c> span (see <see cref="ToolCallActivity"/>). Every way a
/// tool is run under a budget goes through it: <see cref="BudgetTracker.InvokeToolAsync"/> (and so the chat client's
/// tools, the Agent Framework middleware, the planners and the MCP sample) and the Semantic Kernel filter.
/// </summary>
internal sealed class ToolChargePipeline
{
    private readonly BudgetTracker _tracker;
    private readonly BudgetExtensionAsker? _asker;

    public ToolChargePipeline(BudgetTracker tracker)
    {
        _tracker = tracker;
        _asker = tracker.Options.ExtensionApprover is { } approver ? new BudgetExtensionAsker(tracker, approver) : null;
    }

    /// <summary>Charges, runs and commits one call.</summary>
    /// <param name="tool">The resolved tool.</param>
    /// <param name="arguments">The call's arguments, for its units.</param>
    /// <param name="run">Runs the tool and returns its result.</param>
    /// <param name="formatResult">Whether to turn the result into text with the budget block; refusals and errors always are.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The outcome; the tool's exception propagates after its units were released.</returns>
    public async ValueTask<BudgetedToolResult> InvokeAsync(
        ResolvedTool tool,
        IReadOnlyDictionary<string, object?>? arguments,
        Func<CancellationToken, ValueTask<object?>> run,
        bool formatResult,
        CancellationToken cancellationToken)
    {
        using Activity? activity = ToolCallActivity.Start(tool);
        CategoryState category = tool.Category;
        int units = UnitCounting.Count(tool, arguments, out string? error);
        if (error is not null)
        {
            BudgetLog.BadArguments(_tracker.Events.Logger, tool.DisplayName, error);
            return Done(activity, NotRun(BudgetedToolOutcome.InvalidArguments, error, 0, category, shouldTerminate: false), category);
        }

        string? reason = _asker is not null
            ? await _asker.ReserveAsync(activity, tool, category, units, cancellationToken).ConfigureAwait(false)
            : _tracker.TryReserveCore(category, units, tool.DisplayName, out string? refused) ? null : refused;
        if (reason is not null)
        {
            return Done(activity, NotRun(BudgetedToolOutcome.Refused, reason, units, category, shouldTerminate: true), category);
        }

        BudgetLedgerReservation? shared = null;
        BudgetOptions? sharedLevel = _tracker.SharedLedgerLevel;
        if (sharedLevel is { SharedLedger: { } ledger })
        {
            (shared, string? denied) = await ReserveSharedAsync(ledger, sharedLevel.SharedLedgerLease, category.Name, units, cancellationToken).ConfigureAwait(false);
            if (shared is null)
            {
                _tracker.ReleaseCore(category, units);
                return Done(activity, NotRun(BudgetedToolOutcome.Refused, denied!, units, category, shouldTerminate: true), category);
            }
        }

        object? raw;
        var charge = new ToolChargeContext(category.Name, units, _tracker);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            using (ToolChargeContext.Enter(charge))
            {
                raw = await run(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            charge.Close();
            _tracker.ReleaseCore(category, units);
            await SettleSharedAsync(sharedLevel, shared, used: 0).ConfigureAwait(false);
            ToolCallActivity.Fail(activity, ex);
            throw;
        }

        int refunded = charge.Close();
        _tracker.CommitCore(category, units, refunded, tool.DisplayName);
        await SettleSharedAsync(sharedLevel, shared, used: units - refunded).ConfigureAwait(false);
        string text = formatResult ? ToolResultText.ToText(raw) : string.Empty;
        string result = formatResult ? _tracker.Formatter.FormatBlock(text) : string.Empty;
        var executed = new BudgetedToolResult(BudgetedToolOutcome.Executed, text, result, units - refunded, category.Name, _tracker.IsExhausted, raw) { ModelSpend = charge.ModelSpend };
        return Done(activity, executed, category);
    }

    /// <summary>Reserves in the shared ledger; a denial or an unreachable ledger gives the reason the model reads.</summary>
    private async Task<(BudgetLedgerReservation? Granted, string? Denied)> ReserveSharedAsync(IBudgetLedger ledger, TimeSpan lease, string category, int units, CancellationToken cancellationToken)
    {
        try
        {
            BudgetLedgerReservation r = await ledger.ReserveAsync(category, units, lease, cancellationToken).ConfigureAwait(false);
            return r.Granted
                ? (r, null)
                : (null, $"The shared {category} budget refused this call: {r.DeniedReason}. The call was not executed; give your final answer now.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            BudgetLog.SharedLedgerFailed(_tracker.Events.Logger, category, ex);
            return (null, $"The shared {category} budget could not be reached, so the call was not executed ({ex.GetType().Name}).");
        }
    }

    /// <summary>
    /// Commits the units the call used in the shared reservation and releases the rest (work the tool refunded), or
    /// releases it all when none were used; a ledger without partial commits is charged the whole reservation, from
    /// above. A failure is logged (the lease then ends by itself), never thrown over the tool's result.
    /// </summary>
    private async Task SettleSharedAsync(BudgetOptions? level, BudgetLedgerReservation? shared, int used)
    {
        if (shared?.ReservationId is not { } id || level?.SharedLedger is not { } ledger)
        {
            return;
        }

        try
        {
            if (used <= 0)
            {
                await ledger.ReleaseAsync(id, CancellationToken.None).ConfigureAwait(false);
            }
            else if (used >= shared.Units)
            {
                await ledger.CommitAsync(id, CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                try
                {
                    await ledger.CommitAsync(id, used, CancellationToken.None).ConfigureAwait(false);
                }
                catch (NotSupportedException)
                {
                    BudgetLog.SharedPartialCommitUnsupported(_tracker.Events.Logger, shared.Category);
                    await ledger.CommitAsync(id, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex)
        {
            BudgetLog.SharedLedgerFailed(_tracker.Events.Logger, shared.Category, ex);
        }
    }

    private BudgetedToolResult NotRun(BudgetedToolOutcome outcome, string text, int units, CategoryState category, bool shouldTerminate) =>
        new(outcome, text, _tracker.Formatter.FormatBlock(text), units, category.Name, shouldTerminate, null);

    private BudgetedToolResult Done(Activity? activity, BudgetedToolResult result, CategoryState category)
    {
        if (activity is not null)
        {
            ToolCallActivity.Complete(activity, result, category, _tracker.Regime);
        }

        return result;
    }
}
