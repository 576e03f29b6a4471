namespace Agents.Budget;

/// <summary>
/// The remaining fractions of the tightest budget at which the spending regime changes: at or above <see cref="High"/> the
/// regime is <see cref="BudgetRegime.High"/>, at or above <see cref="Medium"/> it is <see cref="BudgetRegime.Medium"/>, at or
/// above <see cref="Low"/> it is <see cref="BudgetRegime.Low"/>, and below it (or with any budget at 0) <see cref="BudgetRegime.Critical"/>.
/// </summary>
/// <remarks>Defaults 0.7, 0.3 and 0.1 (BATS). They must satisfy 0 &lt; <see cref="Low"/> &lt; <see cref="Medium"/> &lt; <see cref="High"/> &lt;= 1.</remarks>
public sealed class BudgetRegimeThresholds
{
    /// <summary>The default <see cref="High"/>.</summary>
    public const double DefaultHigh = 0.7;

    /// <summary>The default <see cref="Medium"/>.</summary>
    public const double DefaultMedium = 0.3;

    /// <summary>The default <see cref="Low"/>.</summary>
    public const double DefaultLow = 0.1;

    private double _high = DefaultHigh;
    private double _medium = DefaultMedium;
    private double _low = DefaultLow;
    private bool _frozen;

    /// <summary>Gets or sets the smallest remaining fraction of the <see cref="BudgetRegime.High"/> regime. Default 0.7.</summary>
    public double High
    {
        get => _high;
        set => _high = Set(value);
    }

    /// <summary>Gets or sets the smallest remaining fraction of the <see cref="BudgetRegime.Medium"/> regime. Default 0.3.</summary>
    public double Medium
    {
        get => _medium;
        set => _medium = Set(value);
    }

    /// <summary>Gets or sets the smallest remaining fraction of the <see cref="BudgetRegime.Low"/> regime. Default 0.1.</summary>
    public double Low
    {
        get => _low;
        set => _low = Set(value);
    }

    /// <summary>Gets a value indicating whether the thresholds are the defaults.</summary>
    internal bool IsDefault => _high == DefaultHigh && _medium == DefaultMedium && _low == DefaultLow;

    /// <summary>Gets the regime of a remaining fraction (of a budget that is not exhausted).</summary>
    /// <param name="remainingFraction">The remaining fraction of the tightest budget, 0 to 1.</param>
    /// <returns>The regime.</returns>
    public BudgetRegime RegimeOf(double remainingFraction) =>
        remainingFraction >= _high ? BudgetRegime.High
        : remainingFraction >= _medium ? BudgetRegime.Medium
        : remainingFraction >= _low ? BudgetRegime.Low
        : BudgetRegime.Critical;

    /// <summary>Formats a threshold as a percentage without the sign, for example <c>70</c>.</summary>
    internal static string Percent(double fraction) => (fraction * 100).ToString("0.##", CultureInfo.InvariantCulture);

    internal void Freeze() => _frozen = true;

    /// <summary>Lists what is wrong with the thresholds, naming each key under <paramref name="path"/>.</summary>
    internal IEnumerable<string> Failures(string path)
    {
        if (!(_low > 0 && _low < _medium && _medium < _high && _high <= 1))
        {
            yield return string.Create(
                CultureInfo.InvariantCulture,
                $"{path}: the thresholds must satisfy 0 < Low < Medium < High <= 1 (were Low {_low}, Medium {_medium}, High {_high}).");
        }
    }

    private double Set(double value)
    {
        if (_frozen)
        {
            throw new InvalidOperationException("These BudgetOptions are in use by a BudgetTracker and cannot change; create new BudgetOptions for a new tracker.");
        }

        return value;
    }
}
