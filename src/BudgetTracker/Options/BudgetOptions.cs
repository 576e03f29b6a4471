using System.Globalization;

namespace Agents.Budget;

/// <summary>
/// Defines the budgets of a <see cref="BudgetTracker"/>: per-category tool unit limits, token, money and
/// wall-clock limits, how tools map to categories, prices, and the texts shown to the model.
/// </summary>
/// <remarks>
/// <para>Defaults: no limits at all; unmapped tools are counted in <see cref="DefaultCategory"/> (<c>default</c>),
/// unlimited unless given a limit; one unit costs $0.001; tokens cost 0 unless priced;
/// <see cref="OnExhaustion"/> is <see cref="ExhaustionBehavior.Terminate"/>.</para>
/// <para>A tool maps to a category by the first matching <see cref="MapTool"/> entry, else by its
/// <see cref="BudgetCategoryAttribute"/>, else to <see cref="DefaultCategory"/>.</para>
/// <para>The options are validated and frozen when a <see cref="BudgetTracker"/> is created from them.</para>
/// </remarks>
public sealed class BudgetOptions
{
    /// <summary>The default <see cref="BudgetBlockTemplate"/>.</summary>
    public const string DefaultBudgetBlockTemplate = "<budget>\n{lines}\nRegime: {regime}\n</budget>";

    /// <summary>The default <see cref="GuidelineTemplate"/>.</summary>
    public const string DefaultGuidelineTemplate =
        "You work under a budget: {limits}. After every tool result you receive a <budget> block with the units used and remaining. " +
        "Plan your tool calls against it and justify each call by what remains. Spend by regime (remaining fraction of the tightest budget):\n" +
        "HIGH (>= {high_percent}% left): explore broadly; 3-5 diverse queries per search, up to 2-3 URLs per browse.\n" +
        "MEDIUM ({medium_percent}-{high_percent}% left): converge; 2-3 refined queries, 1-2 URLs.\n" +
        "LOW ({low_percent}-{medium_percent}% left): verify or finalise; 1 focused query, at most 1 URL.\n" +
        "CRITICAL (< {low_percent}% left or any budget at 0): do not use a depleted tool; give your best final answer now, or \"None\" if still uncertain.\n" +
        "Current regime: {regime}.";

    private readonly Dictionary<string, long> _toolLimits = new(CategoryName.Comparer);
    private readonly HashSet<string> _declaredCategories = new(CategoryName.Comparer);
    private readonly List<ToolMapping> _mappings = [];
    private long? _maxInputTokens;
    private long? _maxOutputTokens;
    private decimal? _maxCostUsd;
    private TimeSpan? _maxDuration;
    private long _finalAnswerReserveTokens;
    private decimal _finalAnswerReserveUsd;
    private string _defaultCategory = "default";
    private ExhaustionBehavior _onExhaustion = ExhaustionBehavior.Terminate;
    private string _budgetBlockTemplate = DefaultBudgetBlockTemplate;
    private string _guidelineTemplate = DefaultGuidelineTemplate;
    private double _highRegimeThreshold = 0.7;
    private double _mediumRegimeThreshold = 0.3;
    private double _lowRegimeThreshold = 0.1;
    private bool _frozen;

    /// <summary>Gets the per-category unit limits set with <see cref="WithToolLimit"/>.</summary>
    public IReadOnlyDictionary<string, long> ToolLimits => _toolLimits;

    /// <summary>Gets or sets the most input tokens (cached ones included) all model calls may use; <see langword="null"/> (default) is unlimited.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public long? MaxInputTokens
    {
        get => _maxInputTokens;
        set => _maxInputTokens = SetPositive(value, nameof(MaxInputTokens));
    }

    /// <summary>Gets or sets the most output tokens all model calls may use; <see langword="null"/> (default) is unlimited.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public long? MaxOutputTokens
    {
        get => _maxOutputTokens;
        set => _maxOutputTokens = SetPositive(value, nameof(MaxOutputTokens));
    }

    /// <summary>Gets or sets the most money (tokens plus tool units) to spend, in US dollars; <see langword="null"/> (default) is unlimited.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public decimal? MaxCostUsd
    {
        get => _maxCostUsd;
        set
        {
            ThrowIfFrozen();
            if (value is { } v && v <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(MaxCostUsd), v, "MaxCostUsd must be greater than 0, or null for no money limit.");
            }

            _maxCostUsd = value;
        }
    }

    /// <summary>
    /// Gets or sets the tokens held back for the final answer: an ordinary model call (see
    /// <see cref="BudgetTracker.TryReserveModelCall"/>) may not use the last this-many tokens of
    /// <see cref="MaxInputTokens"/>, nor of <see cref="MaxOutputTokens"/>; a final-answer call may. Default 0.
    /// It must be smaller than each token limit that is set.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public long FinalAnswerReserveTokens
    {
        get => _finalAnswerReserveTokens;
        set
        {
            ThrowIfFrozen();
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(FinalAnswerReserveTokens));
            _finalAnswerReserveTokens = value;
        }
    }

    /// <summary>
    /// Gets or sets the money, in US dollars, held back for the final answer: ordinary model calls and tool calls may not
    /// spend the last this-much of <see cref="MaxCostUsd"/>; a final-answer model call may. Default 0. It must be smaller
    /// than <see cref="MaxCostUsd"/> when that is set.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public decimal FinalAnswerReserveUsd
    {
        get => _finalAnswerReserveUsd;
        set
        {
            ThrowIfFrozen();
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(FinalAnswerReserveUsd));
            _finalAnswerReserveUsd = value;
        }
    }

    /// <summary>Gets or sets the wall-clock limit measured from the tracker's creation (or <see cref="BudgetTracker.Reset"/>); <see langword="null"/> (default) is unlimited.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan? MaxDuration
    {
        get => _maxDuration;
        set
        {
            ThrowIfFrozen();
            if (value is { } v && v <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(MaxDuration), v, "MaxDuration must be greater than zero, or null for no time limit.");
            }

            _maxDuration = value;
        }
    }

    /// <summary>Gets or sets the category of tools that no mapping or attribute places. Default <c>default</c>; unlimited unless given a limit.</summary>
    /// <exception cref="ArgumentException">The value is empty or white space.</exception>
    public string DefaultCategory
    {
        get => _defaultCategory;
        set
        {
            ThrowIfFrozen();
            _defaultCategory = CategoryName.Normalize(value, nameof(DefaultCategory));
        }
    }

    /// <summary>Gets the prices used for the unified cost.</summary>
    public BudgetPricing Pricing { get; } = new();

    /// <summary>Gets or sets what happens when a hard limit is reached. Default <see cref="ExhaustionBehavior.Terminate"/>.</summary>
    public ExhaustionBehavior OnExhaustion
    {
        get => _onExhaustion;
        set
        {
            ThrowIfFrozen();
            if (!Enum.IsDefined(value))
            {
                throw new ArgumentOutOfRangeException(nameof(OnExhaustion), value, "Unknown ExhaustionBehavior.");
            }

            _onExhaustion = value;
        }
    }

    /// <summary>
    /// Gets or sets the budget block appended to every tool result. Placeholders: <c>{lines}</c> (required; one
    /// line per budget such as <c>Search used: 3, remaining: 7</c>), <c>{regime}</c> (HIGH, MEDIUM, LOW, CRITICAL)
    /// and <c>{remaining_percent}</c>, and the regime thresholds <c>{high_percent}</c>, <c>{medium_percent}</c> and
    /// <c>{low_percent}</c>. Default <see cref="DefaultBudgetBlockTemplate"/>.
    /// </summary>
    public string BudgetBlockTemplate
    {
        get => _budgetBlockTemplate;
        set
        {
            ThrowIfFrozen();
            ArgumentException.ThrowIfNullOrWhiteSpace(value, nameof(BudgetBlockTemplate));
            _budgetBlockTemplate = value;
        }
    }

    /// <summary>
    /// Gets or sets the system-prompt guideline describing the spending regimes. Placeholders: <c>{limits}</c>
    /// (the budgets, for example <c>search 10 units, browse 5 units</c>), <c>{regime}</c>, <c>{remaining_percent}</c>,
    /// and the regime thresholds <c>{high_percent}</c>, <c>{medium_percent}</c> and <c>{low_percent}</c> (see
    /// <see cref="HighRegimeThreshold"/>). Default <see cref="DefaultGuidelineTemplate"/>.
    /// </summary>
    public string GuidelineTemplate
    {
        get => _guidelineTemplate;
        set
        {
            ThrowIfFrozen();
            ArgumentException.ThrowIfNullOrWhiteSpace(value, nameof(GuidelineTemplate));
            _guidelineTemplate = value;
        }
    }

    /// <summary>Gets or sets the smallest remaining fraction of the tightest budget that is the HIGH regime. Default 0.7.</summary>
    /// <remarks>The regimes (see <see cref="BudgetRegime"/>) are read from these three thresholds only; the guideline shows
    /// them through <c>{high_percent}</c>, <c>{medium_percent}</c> and <c>{low_percent}</c>.
    /// <see cref="Validate"/> requires 0 &lt; low &lt; medium &lt; high &lt;= 1.</remarks>
    public double HighRegimeThreshold
    {
        get => _highRegimeThreshold;
        set => _highRegimeThreshold = SetFraction(value, nameof(HighRegimeThreshold));
    }

    /// <summary>Gets or sets the smallest remaining fraction that is the MEDIUM regime. Default 0.3.</summary>
    public double MediumRegimeThreshold
    {
        get => _mediumRegimeThreshold;
        set => _mediumRegimeThreshold = SetFraction(value, nameof(MediumRegimeThreshold));
    }

    /// <summary>Gets or sets the smallest remaining fraction that is the LOW regime; below it the regime is CRITICAL. Default 0.1.</summary>
    public double LowRegimeThreshold
    {
        get => _lowRegimeThreshold;
        set => _lowRegimeThreshold = SetFraction(value, nameof(LowRegimeThreshold));
    }

    internal IReadOnlyList<ToolMapping> Mappings => _mappings;

    internal IReadOnlyCollection<string> DeclaredCategories => _declaredCategories;

    /// <summary>Limits the units a category may spend.</summary>
    /// <param name="category">The category, for example <c>search</c> (case-insensitive).</param>
    /// <param name="maxUnits">The most units, greater than 0.</param>
    /// <returns>This instance.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxUnits"/> is zero or negative.</exception>
    public BudgetOptions WithToolLimit(string category, long maxUnits)
    {
        ThrowIfFrozen();
        category = CategoryName.Normalize(category);
        if (maxUnits <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxUnits), maxUnits, $"The limit of tool category '{category}' must be greater than 0.");
        }

        _toolLimits[category] = maxUnits;
        return this;
    }

    /// <summary>Declares a category without a limit, so that it can be priced and shows in the budget block.</summary>
    /// <param name="category">The category name.</param>
    /// <returns>This instance.</returns>
    public BudgetOptions AddCategory(string category)
    {
        ThrowIfFrozen();
        _declaredCategories.Add(CategoryName.Normalize(category));
        return this;
    }

    /// <summary>Maps tools whose name matches <paramref name="functionPattern"/> to a category.</summary>
    /// <param name="functionPattern">A pattern over <c>plugin_function</c>, <c>plugin.function</c> or <c>function</c>
    /// (case-insensitive); <c>*</c> matches any run of characters. The first matching entry wins.</param>
    /// <param name="category">The category.</param>
    /// <param name="unitsArgument">The argument whose array length is the number of units; <see langword="null"/> for one unit a call.</param>
    /// <param name="unitCounter">A delegate returning the units of a call from its arguments; exclusive with <paramref name="unitsArgument"/>.</param>
    /// <returns>This instance.</returns>
    /// <exception cref="ArgumentException">An argument is empty, or both unit sources are given.</exception>
    public BudgetOptions MapTool(string functionPattern, string category, string? unitsArgument = null, Func<IReadOnlyDictionary<string, object?>, int>? unitCounter = null)
    {
        ThrowIfFrozen();
        ArgumentException.ThrowIfNullOrWhiteSpace(functionPattern);
        category = CategoryName.Normalize(category);
        if (unitsArgument is not null && string.IsNullOrWhiteSpace(unitsArgument))
        {
            throw new ArgumentException("unitsArgument must name an argument, or be null for one unit a call.", nameof(unitsArgument));
        }

        if (unitsArgument is not null && unitCounter is not null)
        {
            throw new ArgumentException($"MapTool('{functionPattern}') takes either unitsArgument or unitCounter, not both.", nameof(unitCounter));
        }

        _mappings.Add(new ToolMapping(functionPattern, category, unitsArgument, unitCounter));
        return this;
    }

    /// <summary>Checks the whole configuration.</summary>
    /// <exception cref="InvalidOperationException">A template lacks a required placeholder, a price names an unknown category,
    /// or a final-answer reserve is not smaller than its limit.</exception>
    public void Validate()
    {
        if (_finalAnswerReserveTokens > 0
            && ((_maxInputTokens is { } mi && _finalAnswerReserveTokens >= mi) || (_maxOutputTokens is { } mo && _finalAnswerReserveTokens >= mo)))
        {
            throw new InvalidOperationException("BudgetOptions.FinalAnswerReserveTokens must be smaller than MaxInputTokens and MaxOutputTokens.");
        }

        if (_finalAnswerReserveUsd > 0 && _maxCostUsd is { } mc && _finalAnswerReserveUsd >= mc)
        {
            throw new InvalidOperationException("BudgetOptions.FinalAnswerReserveUsd must be smaller than MaxCostUsd.");
        }

        if (!(_lowRegimeThreshold > 0 && _lowRegimeThreshold < _mediumRegimeThreshold && _mediumRegimeThreshold < _highRegimeThreshold && _highRegimeThreshold <= 1))
        {
            throw new InvalidOperationException("BudgetOptions regime thresholds must satisfy 0 < LowRegimeThreshold < MediumRegimeThreshold < HighRegimeThreshold <= 1.");
        }

        if (!_budgetBlockTemplate.Contains("{lines}", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("BudgetOptions.BudgetBlockTemplate must contain the {lines} placeholder.");
        }

        foreach (string category in Pricing.UnitPrices.Keys)
        {
            if (!IsKnownCategory(category))
            {
                throw new InvalidOperationException(string.Format(
                    CultureInfo.InvariantCulture,
                    "BudgetOptions.Pricing sets a unit price for unknown category '{0}'. Known categories: {1}. Add it with WithToolLimit, MapTool or AddCategory, or fix the name.",
                    category,
                    string.Join(", ", KnownCategories())));
            }
        }
    }

    internal bool IsKnownCategory(string category)
    {
        category = category.Trim();
        return CategoryName.Same(category, _defaultCategory)
            || _toolLimits.ContainsKey(category)
            || _declaredCategories.Contains(category)
            || _mappings.Exists(m => CategoryName.Same(m.Category, category));
    }

    internal IEnumerable<string> KnownCategories() =>
        new[] { _defaultCategory }.Concat(_toolLimits.Keys).Concat(_declaredCategories).Concat(_mappings.Select(m => m.Category))
            .Distinct(StringComparer.OrdinalIgnoreCase);

    internal void Freeze()
    {
        _frozen = true;
        Pricing.Freeze();
    }

    private long? SetPositive(long? value, string name)
    {
        ThrowIfFrozen();
        if (value is { } v && v <= 0)
        {
            throw new ArgumentOutOfRangeException(name, v, $"{name} must be greater than 0, or null for no limit.");
        }

        return value;
    }

    private double SetFraction(double value, string name)
    {
        ThrowIfFrozen();
        if (double.IsNaN(value) || value <= 0 || value > 1)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be greater than 0 and at most 1.");
        }

        return value;
    }

    private void ThrowIfFrozen()
    {
        if (_frozen)
        {
            throw new InvalidOperationException("These BudgetOptions are in use by a BudgetTracker and cannot change; create new BudgetOptions for a new tracker.");
        }
    }
}
