namespace Agents.Budget;

/// <summary>
/// What <see cref="BudgetTracker.RestoreSpend"/> found once the restored spend was added: restored spend counts
/// against the limits like any other spend, so a restore can leave the tracker exhausted or even beyond a limit
/// (160 units of a 100-unit category); this result says so instead of letting it pass unnoticed.
/// </summary>
public sealed class BudgetRestoreResult
{
    internal BudgetRestoreResult(bool isExhausted, IReadOnlyList<string> exhaustedReasons, IReadOnlyList<BudgetOverrun> overruns)
    {
        IsExhausted = isExhausted;
        ExhaustedReasons = exhaustedReasons;
        Overruns = overruns;
    }

    /// <summary>Gets a value indicating whether a hard limit is reached after the restore (see <see cref="BudgetTracker.IsExhausted"/>).</summary>
    public bool IsExhausted { get; }

    /// <summary>Gets a value indicating whether the spend is now beyond at least one limit.</summary>
    public bool IsOverLimit => Overruns.Count > 0;

    /// <summary>Gets one text per reached limit, as in <see cref="BudgetSnapshot.ExhaustedReasons"/>.</summary>
    public IReadOnlyList<string> ExhaustedReasons { get; }

    /// <summary>Gets the limits the spend is now beyond (not merely at), each with the spend and the limit.</summary>
    public IReadOnlyList<BudgetOverrun> Overruns { get; }

    /// <summary>Returns a one-line summary, for example <c>over limit: search: 160 of 100 (60 over)</c>.</summary>
    /// <returns>The summary.</returns>
    public override string ToString() =>
        IsOverLimit ? "over limit: " + string.Join("; ", Overruns)
        : IsExhausted ? "exhausted: " + string.Join("; ", ExhaustedReasons)
        : "within the limits";
}
