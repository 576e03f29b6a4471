namespace Agents.Budget;

/// <summary>
/// The categories a model call reserves in a <see cref="BudgetOptions.SharedLedger"/> (see
/// <see cref="BudgetTracker.ReserveModelCallAsync"/>): its input tokens, its output tokens and its money, each its own
/// reservation, committed with the call's actual usage. A shared budget caps them like any tool category: give the
/// category a limit in the ledger, for example <c>SetLimitAsync(SharedLedgerCategories.CostMicroUsd, 50_000_000, ct)</c>
/// on an <c>OrleansBudgetLedger</c> for 50 US dollars, or <c>SetToolLimit(SharedLedgerCategories.InputTokens, ...)</c> on
/// the options of the tracker behind an <see cref="InProcessBudgetLedger"/>. A category without a limit is counted, not capped.
/// </summary>
public static class SharedLedgerCategories
{
    /// <summary>The prompt's input tokens (cached ones included): <c>tokens.input</c>.</summary>
    public const string InputTokens = "tokens.input";

    /// <summary>The output tokens: <c>tokens.output</c>.</summary>
    public const string OutputTokens = "tokens.output";

    /// <summary>
    /// The money, in millionths of a US dollar, rounded up per call: <c>cost.microusd</c>. One reservation holds at most
    /// <see cref="int.MaxValue"/> units (about 2,147 US dollars); a call whose worst case costs more is refused.
    /// </summary>
    public const string CostMicroUsd = "cost.microusd";

    /// <summary>Converts US dollars to whole millionths, rounded up.</summary>
    /// <param name="usd">The amount, 0 or more.</param>
    /// <returns>The millionths of a dollar.</returns>
    internal static long ToMicroUsd(decimal usd) =>
        usd <= 0 ? 0 : (long)Math.Min(Math.Ceiling(usd * 1_000_000m), long.MaxValue);
}
