using System.Collections.ObjectModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Agents.Budget;

/// <summary>
/// Defines the budgets of a <see cref="BudgetTracker"/>: per-category tool unit limits, token, money and
/// wall-clock limits, how tools map to categories, prices, the regime thresholds, and the texts shown to the model.
/// </summary>
/// <remarks>
/// <para>Defaults: no limits at all; unmapped tools are counted in <see cref="DefaultCategory"/> (<c>default</c>),
/// unlimited unless given a limit; one unit costs $0.001; tokens cost 0 unless priced;
/// <see cref="OnExhaustion"/> is <see cref="ExhaustionBehavior.Terminate"/>.</para>
/// <para>A tool maps to a category by the first matching <see cref="ToolMappings"/> entry, else by its
/// <see cref="BudgetCategoryAttribute"/>, else to <see cref="DefaultCategory"/>.</para>
/// <para>Naming: <c>Set…</c> methods set the value of a key (the last call wins: <see cref="SetToolLimit"/>,
/// <see cref="BudgetPricing.SetUnitPrice"/>), <c>Add…</c> methods add an entry to a collection
/// (<see cref="AddCategory"/>, <see cref="AddToolMapping(string, string, string?)"/>). Each has a bindable collection
/// property behind it, so the options bind from configuration
/// (<c>services.AddBudgetTracker(configuration.GetSection("Budget"))</c>):</para>
/// <code>
/// "Budget": {
///   "MaxCostUsd": 0.50, "MaxInputTokens": 200000, "MaxOutputTokens": 20000, "MaxDuration": "00:10:00",
///   "OnExhaustion": "FinalAnswerWithoutTools", "FinalAnswerReserveTokens": 2000,
///   "ToolLimits": { "search": 10, "browse": 10 },
///   "Categories": [ "reading" ],
///   "ToolMappings": [ { "Pattern": "web_search", "Category": "search", "UnitsArgument": "queries" } ],
///   "Pricing": { "UnitPrices": { "search": 0.005 },
///                "ModelPrices": { "gpt-4.1-mini": { "InputPerMillionTokens": 0.4, "OutputPerMillionTokens": 1.6 } } },
///   "RegimeThresholds": { "High": 0.7, "Medium": 0.3, "Low": 0.1 }
/// }
/// </code>
/// <para>Nothing is checked while the options are set: <see cref="Validate"/> reports every bad value at once, naming
/// its configuration key, as an <see cref="OptionsValidationException"/>. The options are validated and frozen when a
/// <see cref="BudgetTracker"/> is created from them.</para>
/// </remarks>
public sealed class BudgetOptions
{
    /// <summary>The default <see cref="BudgetBlockTemplate"/>.</summary>
    public const string DefaultBudgetBlockTemplate = "<budget>\n{lines}\nRegime: {regime}\n</budget>";

    /// <summary>The default <see cref="GuidelineTemplate"/> (for the default <see cref="RegimeThresholds"/>; other thresholds show in its text).</summary>
    public const string DefaultGuidelineTemplate =
        "You work under a budget: {limits}. After every tool result you receive a <budget> block with the units used and remaining. " +
        "Plan your tool calls against it and justify each call by what remains. Spend by regime (remaining fraction of the tightest budget):\n" +
        "HIGH (>= 70% left): explore broadly; 3-5 diverse queries per search, up to 2-3 URLs per browse.\n" +
        "MEDIUM (30-70% left): converge; 2-3 refined queries, 1-2 URLs.\n" +
        "LOW (10-30% left): verify or finalise; 1 focused query, at most 1 URL.\n" +
        "CRITICAL (< 10% left or any budget at 0): do not use a depleted tool; give your best final answer now, or \"None\" if still uncertain.\n" +
        "Current regime: {regime}.";

    private IDictionary<string, long> _toolLimits = new Dictionary<string, long>(CategoryName.Comparer);
    private ICollection<string> _categories = new List<string>();
    private IList<BudgetToolMapping> _toolMappings = new List<BudgetToolMapping>();
    private IReadOnlyList<ToolMapping>? _frozenMappings;
    private long? _maxInputTokens;
    private long? _maxOutputTokens;
    private decimal? _maxCostUsd;
    private TimeSpan? _maxDuration;
    private IBudgetLedger? _sharedLedger;
    private TimeSpan _sharedLedgerLease = TimeSpan.FromMinutes(10);
    private IBudgetExtensionApprover? _extensionApprover;
    private int? _askForMoreUnits;
    private long _finalAnswerReserveTokens;
    private decimal _finalAnswerReserveUsd;
    private string _defaultCategory = "default";
    private ExhaustionBehavior _onExhaustion = ExhaustionBehavior.Terminate;
    private string _budgetBlockTemplate = DefaultBudgetBlockTemplate;
    private string? _guidelineTemplate;
    private bool _frozen;

    /// <summary>Gets the most units each category may spend (category names are case-insensitive; each limit greater than 0).</summary>
    public IDictionary<string, long> ToolLimits => _toolLimits;

    /// <summary>Gets the categories declared without a limit, so that they can be priced and show in the budget block.</summary>
    public ICollection<string> Categories => _categories;

    /// <summary>Gets the tool → category mappings, in order: the first matching entry wins.</summary>
    public IList<BudgetToolMapping> ToolMappings => _toolMappings;

    /// <summary>Gets or sets the most input tokens (cached ones included) all model calls may use, greater than 0; <see langword="null"/> (default) is unlimited.</summary>
    [Range(typeof(long), "1", "9223372036854775807", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public long? MaxInputTokens
    {
        get => _maxInputTokens;
        set => _maxInputTokens = Set(value);
    }

    /// <summary>Gets or sets the most output tokens all model calls may use, greater than 0; <see langword="null"/> (default) is unlimited.</summary>
    [Range(typeof(long), "1", "9223372036854775807", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public long? MaxOutputTokens
    {
        get => _maxOutputTokens;
        set => _maxOutputTokens = Set(value);
    }

    /// <summary>Gets or sets the most money (tokens plus tool units) to spend, in US dollars, greater than 0; <see langword="null"/> (default) is unlimited.</summary>
    [Range(typeof(decimal), "0", "79228162514264337593543950335", MinimumIsExclusive = true, ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public decimal? MaxCostUsd
    {
        get => _maxCostUsd;
        set => _maxCostUsd = Set(value);
    }

    /// <summary>
    /// Gets or sets the tokens held back for the final answer: an ordinary model call (see
    /// <see cref="BudgetTracker.TryReserveModelCall"/>) may not use the last this-many tokens of
    /// <see cref="MaxInputTokens"/>, nor of <see cref="MaxOutputTokens"/>; a final-answer call may. Default 0.
    /// It must be zero or more, and smaller than each token limit that is set.
    /// </summary>
    [Range(typeof(long), "0", "9223372036854775807", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public long FinalAnswerReserveTokens
    {
        get => _finalAnswerReserveTokens;
        set => _finalAnswerReserveTokens = Set(value);
    }

    /// <summary>
    /// Gets or sets the money, in US dollars, held back for the final answer: ordinary model calls and tool calls may not
    /// spend the last this-much of <see cref="MaxCostUsd"/>; a final-answer model call may. Default 0. It must be zero or
    /// more, and smaller than <see cref="MaxCostUsd"/> when that is set.
    /// </summary>
    [Range(typeof(decimal), "0", "79228162514264337593543950335", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public decimal FinalAnswerReserveUsd
    {
        get => _finalAnswerReserveUsd;
        set => _finalAnswerReserveUsd = Set(value);
    }

    /// <summary>
    /// Gets or sets the wall-clock limit measured from the tracker's creation (or <see cref="BudgetTracker.Reset"/>), greater
    /// than zero; <see langword="null"/> (default) is unlimited. In configuration: <c>"00:10:00"</c>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "10675199.02:48:05.4775807", MinimumIsExclusive = true, ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan? MaxDuration
    {
        get => _maxDuration;
        set => _maxDuration = Set(value);
    }

    /// <summary>
    /// Gets or sets a ledger that every tool call also reserves in, after this tracker's own limits grant it: a budget
    /// shared with other trackers and processes (for example an org-wide cap in <c>Agents.Budget.Orleans</c>). A call the
    /// shared ledger denies, or cannot be asked about, is not run and the model reads why; the shared units are committed
    /// when the call ran and released when it threw, was cancelled or gave all its units back (a partial refund is
    /// committed whole there). Model calls reserved with <see cref="BudgetTracker.ReserveModelCallAsync"/> (what
    /// <see cref="BudgetChatClient"/> does) hold their worst case there too, in the <see cref="SharedLedgerCategories"/>,
    /// and commit only their actual usage. A child tracker uses its nearest ancestor's ledger for model calls when it has
    /// none itself. Default <see langword="null"/>: this tracker's limits only. Not read from configuration.
    /// </summary>
    public IBudgetLedger? SharedLedger
    {
        get => _sharedLedger;
        set => _sharedLedger = Set(value);
    }

    /// <summary>Gets or sets how long a shared-ledger reservation is held before the ledger releases it by itself (a worker that dies mid-call). Default 10 minutes.</summary>
    public TimeSpan SharedLedgerLease
    {
        get => _sharedLedgerLease;
        set => _sharedLedgerLease = Set(value);
    }

    /// <summary>
    /// Gets or sets who is asked for more units when a tool call is refused only because its category's limit is spent
    /// (never for tokens, money, time, a parent's limits or the shared ledger). The call waits for the answer: granted,
    /// the limit grows (<see cref="BudgetTracker.ExtendToolLimit"/>) and the call is reserved once more and runs; declined
    /// (0, an exception, a cancellation) it is refused as without an approver. Every answer is a receipt: a log line,
    /// <see cref="BudgetTracker.ExtensionAnswered"/> and attributes on the call's span. Default <see langword="null"/>:
    /// never ask. <c>AddBudgetTracker</c> takes an <see cref="IBudgetExtensionApprover"/> registered in the services when
    /// this is not set. Not read from configuration.
    /// </summary>
    public IBudgetExtensionApprover? ExtensionApprover
    {
        get => _extensionApprover;
        set => _extensionApprover = Set(value);
    }

    /// <summary>
    /// Gets or sets the units offered when the <see cref="ExtensionApprover"/> is asked ("The search budget is spent;
    /// continue with 5 more?"), 1 or more; more when the refused call alone needs more. <see langword="null"/> (default) offers 5.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int? AskForMoreUnits
    {
        get => _askForMoreUnits;
        set => _askForMoreUnits = Set(value);
    }

    /// <summary>Gets or sets the category of tools that no mapping or attribute places. Default <c>default</c>; unlimited unless given a limit.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DefaultCategory
    {
        get => _defaultCategory;
        set => _defaultCategory = Set(value)?.Trim()!;
    }

    /// <summary>Gets the prices used for the unified cost.</summary>
    public BudgetPricing Pricing { get; } = new();

    /// <summary>Gets the remaining fractions at which the spending regime changes (default 0.7, 0.3, 0.1).</summary>
    public BudgetRegimeThresholds RegimeThresholds { get; } = new();

    /// <summary>
    /// Gets or sets what happens when a hard limit is reached. Default <see cref="ExhaustionBehavior.Terminate"/>. In
    /// configuration: <c>"Terminate"</c> or <c>"FinalAnswerWithoutTools"</c>.
    /// </summary>
    [EnumDataType(typeof(ExhaustionBehavior))]
    public ExhaustionBehavior OnExhaustion
    {
        get => _onExhaustion;
        set => _onExhaustion = Set(value);
    }

    /// <summary>
    /// Gets or sets the budget block appended to every tool result. Placeholders: <c>{lines}</c> (required; one
    /// line per budget such as <c>Search used: 3, remaining: 7</c>), <c>{regime}</c> (HIGH, MEDIUM, LOW, CRITICAL)
    /// and <c>{remaining_percent}</c>. Default <see cref="DefaultBudgetBlockTemplate"/>.
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    public string BudgetBlockTemplate
    {
        get => _budgetBlockTemplate;
        set => _budgetBlockTemplate = Set(value);
    }

    /// <summary>
    /// Gets or sets the system-prompt guideline describing the spending regimes. Placeholders: <c>{limits}</c>
    /// (the budgets, for example <c>search 10 units, browse 5 units</c>), <c>{regime}</c> and <c>{remaining_percent}</c>.
    /// Default <see cref="DefaultGuidelineTemplate"/>, with the percentages of <see cref="RegimeThresholds"/>.
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    public string GuidelineTemplate
    {
        get => _guidelineTemplate ?? DefaultGuidelineFor(RegimeThresholds);
        set => _guidelineTemplate = Set(value);
    }

    /// <summary>Gets the mappings as the tracker matches them.</summary>
    internal IReadOnlyList<ToolMapping> Mappings => _frozenMappings ?? CreateMappings();

    /// <summary>Gets the categories declared without a limit.</summary>
    internal IReadOnlyCollection<string> DeclaredCategories => [.. _categories];

    /// <summary>Sets the most units a category may spend (replacing an earlier limit of the category).</summary>
    /// <param name="category">The category, for example <c>search</c> (case-insensitive).</param>
    /// <param name="maxUnits">The most units, greater than 0 (<see cref="Validate"/> checks it).</param>
    /// <returns>This instance.</returns>
    public BudgetOptions SetToolLimit(string category, long maxUnits)
    {
        ArgumentNullException.ThrowIfNull(category);
        ThrowIfFrozen();
        _toolLimits[category.Trim()] = maxUnits;
        return this;
    }

    /// <summary>Adds a category without a limit to <see cref="Categories"/>, so that it can be priced and shows in the budget block.</summary>
    /// <param name="category">The category name.</param>
    /// <returns>This instance.</returns>
    public BudgetOptions AddCategory(string category)
    {
        ArgumentNullException.ThrowIfNull(category);
        ThrowIfFrozen();
        _categories.Add(category.Trim());
        return this;
    }

    /// <summary>Adds an entry to <see cref="ToolMappings"/>: tools whose name matches <paramref name="pattern"/> spend <paramref name="category"/>.</summary>
    /// <param name="pattern">A pattern over <c>plugin_function</c>, <c>plugin.function</c> or <c>function</c>
    /// (case-insensitive); <c>*</c> matches any run of characters. The first matching entry wins.</param>
    /// <param name="category">The category.</param>
    /// <param name="unitsArgument">The argument whose array length is the number of units; <see langword="null"/> for one unit a call.</param>
    /// <returns>This instance.</returns>
    public BudgetOptions AddToolMapping(string pattern, string category, string? unitsArgument = null) =>
        AddToolMapping(new BudgetToolMapping { Pattern = pattern, Category = category, UnitsArgument = unitsArgument });

    /// <summary>Adds an entry to <see cref="ToolMappings"/> whose units are counted by a delegate.</summary>
    /// <param name="pattern">A pattern over <c>plugin_function</c>, <c>plugin.function</c> or <c>function</c>; <c>*</c> matches any run of characters.</param>
    /// <param name="category">The category.</param>
    /// <param name="unitCounter">A delegate returning the units of a call from its arguments.</param>
    /// <returns>This instance.</returns>
    public BudgetOptions AddToolMapping(string pattern, string category, Func<IReadOnlyDictionary<string, object?>, int> unitCounter)
    {
        ArgumentNullException.ThrowIfNull(unitCounter);
        return AddToolMapping(new BudgetToolMapping { Pattern = pattern, Category = category, UnitCounter = unitCounter });
    }

    /// <summary>Adds an entry to <see cref="ToolMappings"/>.</summary>
    /// <param name="mapping">The mapping.</param>
    /// <returns>This instance.</returns>
    public BudgetOptions AddToolMapping(BudgetToolMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        ThrowIfFrozen();
        _toolMappings.Add(mapping);
        return this;
    }

    /// <summary>Checks the whole configuration and reports every bad value at once.</summary>
    /// <exception cref="OptionsValidationException">A value is out of range (each failure names its configuration key), a
    /// template lacks a required placeholder, a price names an unknown category, or a final-answer reserve is not smaller than its limit.</exception>
    public void Validate()
    {
        ValidateOptionsResult result = BudgetOptionsValidator.Instance.Validate(Microsoft.Extensions.Options.Options.DefaultName, this);
        if (result.Failed)
        {
            throw new OptionsValidationException(Microsoft.Extensions.Options.Options.DefaultName, typeof(BudgetOptions), result.Failures);
        }
    }

    /// <summary>Lists what attributes cannot say: collections, cross-property rules and known categories.</summary>
    internal IEnumerable<string> Failures()
    {
        foreach ((string category, long limit) in _toolLimits)
        {
            if (string.IsNullOrWhiteSpace(category))
            {
                yield return "ToolLimits has an empty category name.";
            }
            else if (limit <= 0)
            {
                yield return string.Create(CultureInfo.InvariantCulture, $"ToolLimits:{category} must be greater than 0 (was {limit}): the limit of tool category '{category}'.");
            }
        }

        int index = 0;
        foreach (string category in _categories)
        {
            if (string.IsNullOrWhiteSpace(category))
            {
                yield return string.Create(CultureInfo.InvariantCulture, $"Categories:{index} is empty.");
            }

            index++;
        }

        index = 0;
        foreach (BudgetToolMapping? mapping in _toolMappings)
        {
            string path = string.Create(CultureInfo.InvariantCulture, $"ToolMappings:{index++}");
            if (mapping is null)
            {
                yield return $"{path} is empty.";
                continue;
            }

            if (string.IsNullOrWhiteSpace(mapping.Pattern))
            {
                yield return $"{path}:Pattern is required (a tool name; * matches any run of characters).";
            }

            if (string.IsNullOrWhiteSpace(mapping.Category))
            {
                yield return $"{path}:Category is required (mapping of '{mapping.Pattern}').";
            }

            if (mapping.UnitsArgument is not null && string.IsNullOrWhiteSpace(mapping.UnitsArgument))
            {
                yield return $"{path}:UnitsArgument must name an argument, or be left out for one unit a call.";
            }
            else if (mapping.UnitsArgument is not null && mapping.UnitCounter is not null)
            {
                yield return $"{path}: the mapping of '{mapping.Pattern}' takes either UnitsArgument or UnitCounter, not both.";
            }
        }

        if (_finalAnswerReserveTokens > 0
            && ((_maxInputTokens is { } mi && _finalAnswerReserveTokens >= mi) || (_maxOutputTokens is { } mo && _finalAnswerReserveTokens >= mo)))
        {
            yield return "FinalAnswerReserveTokens must be smaller than MaxInputTokens and MaxOutputTokens.";
        }

        if (_finalAnswerReserveUsd > 0 && _maxCostUsd is { } mc && _finalAnswerReserveUsd >= mc)
        {
            yield return "FinalAnswerReserveUsd must be smaller than MaxCostUsd.";
        }

        if (_budgetBlockTemplate is not null && !_budgetBlockTemplate.Contains("{lines}", StringComparison.Ordinal))
        {
            yield return "BudgetBlockTemplate must contain the {lines} placeholder.";
        }

        if (_sharedLedgerLease <= TimeSpan.Zero && _sharedLedgerLease != Timeout.InfiniteTimeSpan)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"SharedLedgerLease must be positive (was {_sharedLedgerLease}).");
        }

        foreach (string failure in RegimeThresholds.Failures(nameof(RegimeThresholds)))
        {
            yield return failure;
        }

        foreach (string failure in Pricing.Failures(nameof(Pricing)))
        {
            yield return failure;
        }

        foreach (string category in Pricing.UnitPrices.Keys)
        {
            if (!string.IsNullOrWhiteSpace(category) && !IsKnownCategory(category))
            {
                yield return string.Format(
                    CultureInfo.InvariantCulture,
                    "Pricing:UnitPrices:{0} prices an unknown category '{0}'. Known categories: {1}. Add it to ToolLimits, ToolMappings or Categories, or fix the name.",
                    category.Trim(),
                    string.Join(", ", KnownCategories()));
            }
        }
    }

    /// <summary>
    /// Tells whether the options know a tool category: the <see cref="DefaultCategory"/>, or one named by a tool limit, a
    /// tool mapping or <see cref="AddCategory"/> (names compare as the tracker compares them: trimmed, ignoring case). A tool
    /// that charges extra work of its own (the browser's page summary) checks it before charging the run's tracker.
    /// </summary>
    /// <param name="category">The category name.</param>
    /// <returns><see langword="true"/> when the category is known.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="category"/> is <see langword="null"/>.</exception>
    public bool IsKnownCategory(string category)
    {
        ArgumentNullException.ThrowIfNull(category);
        category = category.Trim();
        return CategoryName.Same(category, _defaultCategory)
            || _toolLimits.Keys.Any(k => CategoryName.Same(k, category))
            || _categories.Any(c => CategoryName.Same(c, category))
            || _toolMappings.Any(m => m is not null && CategoryName.Same(m.Category, category));
    }

    internal IEnumerable<string> KnownCategories() =>
        new[] { _defaultCategory }.Concat(_toolLimits.Keys).Concat(_categories).Concat(_toolMappings.Select(m => m.Category))
            .Where(c => !string.IsNullOrWhiteSpace(c))
            .Select(c => c.Trim())
            .Distinct(StringComparer.OrdinalIgnoreCase);

    /// <summary>Freezes the options (after <see cref="Validate"/>): the collections become read-only copies with trimmed names.</summary>
    internal void Freeze()
    {
        if (_frozen)
        {
            return;
        }

        _frozenMappings = CreateMappings();
        _frozen = true;
        _toolLimits = new ReadOnlyDictionary<string, long>(_toolLimits.ToDictionary(p => p.Key.Trim(), p => p.Value, CategoryName.Comparer));
        _categories = new ReadOnlyCollection<string>([.. _categories.Select(c => c.Trim()).Distinct(CategoryName.Comparer)]);
        _toolMappings = new ReadOnlyCollection<BudgetToolMapping>([.. _toolMappings]);
        Pricing.Freeze();
        RegimeThresholds.Freeze();
    }

    /// <summary>The default guideline with the percentages of <paramref name="thresholds"/>.</summary>
    internal static string DefaultGuidelineFor(BudgetRegimeThresholds thresholds)
    {
        if (thresholds.IsDefault)
        {
            return DefaultGuidelineTemplate;
        }

        string high = BudgetRegimeThresholds.Percent(thresholds.High);
        string medium = BudgetRegimeThresholds.Percent(thresholds.Medium);
        string low = BudgetRegimeThresholds.Percent(thresholds.Low);
        return DefaultGuidelineTemplate
            .Replace("HIGH (>= 70% left)", $"HIGH (>= {high}% left)", StringComparison.Ordinal)
            .Replace("MEDIUM (30-70% left)", $"MEDIUM ({medium}-{high}% left)", StringComparison.Ordinal)
            .Replace("LOW (10-30% left)", $"LOW ({low}-{medium}% left)", StringComparison.Ordinal)
            .Replace("CRITICAL (< 10% left", $"CRITICAL (< {low}% left", StringComparison.Ordinal);
    }

    private List<ToolMapping> CreateMappings() =>
        [.. _toolMappings.Where(m => m is not null).Select(m => new ToolMapping(m.Pattern.Trim(), CategoryName.Normalize(m.Category), m.UnitsArgument, m.UnitCounter))];

    private T Set<T>(T value)
    {
        ThrowIfFrozen();
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
