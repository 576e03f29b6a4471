namespace Agents.Budget;

/// <summary>A limit that restored spend went beyond (see <see cref="BudgetRestoreResult"/>).</summary>
/// <param name="Budget">The budget: a category name, <c>input tokens</c>, <c>output tokens</c>, <c>cost</c> (US dollars) or <c>time</c> (seconds).</param>
/// <param name="Used">What is spent now, restored spend included.</param>
/// <param name="Limit">The limit.</param>
public sealed record BudgetOverrun(string Budget, decimal Used, decimal Limit)
{
    /// <summary>Gets how far the spend is over the limit.</summary>
    public decimal Excess => Used - Limit;

    /// <summary>Returns for example <c>search: 160 of 100 (60 over)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Budget}: {Used:0.####} of {Limit:0.####} ({Excess:0.####} over)");
}
