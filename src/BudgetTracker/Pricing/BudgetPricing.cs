namespace Agents.Budget;

/// <summary>
/// Prices for the unified cost (BATS §2.2): cost = uncached input tokens × input price + cached input tokens ×
/// cached price + output tokens × output price + Σ units × unit price of their category.
/// </summary>
/// <remarks>
/// Defaults: <see cref="DefaultUnitPrice"/> is $0.001 per tool unit; token prices are 0 unless set with
/// <see cref="SetModelPrice"/> or <see cref="SetDefaultModelPrice"/>. Category and model names are
/// case-insensitive. The pricing is frozen once a <see cref="BudgetTracker"/> uses its options.
/// </remarks>
public sealed class BudgetPricing
{
    private readonly Dictionary<string, decimal> _unitPrices = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, BudgetModelPrice> _modelPrices = new(StringComparer.OrdinalIgnoreCase);
    private decimal _defaultUnitPrice = 0.001m;
    private BudgetModelPrice _defaultModelPrice;
    private bool _frozen;

    /// <summary>Gets or sets the price in US dollars of one unit of a category without its own price. Default $0.001.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public decimal DefaultUnitPrice
    {
        get => _defaultUnitPrice;
        set
        {
            ThrowIfFrozen();
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(DefaultUnitPrice));
            _defaultUnitPrice = value;
        }
    }

    /// <summary>Gets the token prices used for usage reports whose model has no price of its own (all 0 by default).</summary>
    public BudgetModelPrice DefaultModelPrice => _defaultModelPrice;

    /// <summary>Gets the unit prices set per category.</summary>
    public IReadOnlyDictionary<string, decimal> UnitPrices => _unitPrices;

    /// <summary>Gets the token prices set per model.</summary>
    public IReadOnlyDictionary<string, BudgetModelPrice> ModelPrices => _modelPrices;

    /// <summary>Sets the price of one unit of a category.</summary>
    /// <param name="category">The category, for example <c>search</c>. It must be a category the options know
    /// (a limit, a mapping, the default category or <see cref="BudgetOptions.AddCategory"/>); <see cref="BudgetOptions.Validate"/> checks it.</param>
    /// <param name="usd">The price in US dollars, zero or more.</param>
    /// <returns>This instance.</returns>
    public BudgetPricing SetUnitPrice(string category, decimal usd)
    {
        ThrowIfFrozen();
        category = CategoryName.Normalize(category);
        ArgumentOutOfRangeException.ThrowIfNegative(usd);
        _unitPrices[category] = usd;
        return this;
    }

    /// <summary>Sets the token prices of a model, in US dollars per million tokens.</summary>
    /// <param name="modelId">The model id as the provider reports it (for example <c>gpt-4.1-mini</c>).</param>
    /// <param name="inputPerMTok">Price of a million uncached input tokens.</param>
    /// <param name="outputPerMTok">Price of a million output tokens.</param>
    /// <param name="cachedInputPerMTok">Price of a million cached input tokens; <see langword="null"/> uses <paramref name="inputPerMTok"/>.</param>
    /// <returns>This instance.</returns>
    public BudgetPricing SetModelPrice(string modelId, decimal inputPerMTok, decimal outputPerMTok, decimal? cachedInputPerMTok = null)
    {
        ThrowIfFrozen();
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        _modelPrices[modelId] = CreatePrice(inputPerMTok, outputPerMTok, cachedInputPerMTok);
        return this;
    }

    /// <summary>Sets the token prices used when a usage report names no model or a model without a price.</summary>
    /// <param name="inputPerMTok">Price of a million uncached input tokens.</param>
    /// <param name="outputPerMTok">Price of a million output tokens.</param>
    /// <param name="cachedInputPerMTok">Price of a million cached input tokens; <see langword="null"/> uses <paramref name="inputPerMTok"/>.</param>
    /// <returns>This instance.</returns>
    public BudgetPricing SetDefaultModelPrice(decimal inputPerMTok, decimal outputPerMTok, decimal? cachedInputPerMTok = null)
    {
        ThrowIfFrozen();
        _defaultModelPrice = CreatePrice(inputPerMTok, outputPerMTok, cachedInputPerMTok);
        return this;
    }

    /// <summary>Gets the price of one unit of <paramref name="category"/>.</summary>
    /// <param name="category">The category.</param>
    /// <returns>The category's price, or <see cref="DefaultUnitPrice"/>.</returns>
    public decimal GetUnitPrice(string category)
    {
        ArgumentNullException.ThrowIfNull(category);
        return _unitPrices.TryGetValue(category.Trim(), out decimal price) ? price : _defaultUnitPrice;
    }

    /// <summary>Gets the token prices of <paramref name="modelId"/>.</summary>
    /// <param name="modelId">The model id, or <see langword="null"/>.</param>
    /// <returns>The model's prices, or <see cref="DefaultModelPrice"/>.</returns>
    public BudgetModelPrice GetModelPrice(string? modelId) =>
        modelId is not null && _modelPrices.TryGetValue(modelId, out BudgetModelPrice price) ? price : _defaultModelPrice;

    internal void Freeze() => _frozen = true;

    /// <summary>Gets a value indicating whether no price was set (all defaults).</summary>
    internal bool IsDefault => _unitPrices.Count == 0 && _modelPrices.Count == 0 && _defaultUnitPrice == 0.001m && _defaultModelPrice == default;

    /// <summary>Copies every price of <paramref name="other"/> into this (unfrozen) pricing.</summary>
    internal void CopyFrom(BudgetPricing other)
    {
        ThrowIfFrozen();
        foreach ((string category, decimal price) in other._unitPrices)
        {
            _unitPrices[category] = price;
        }

        foreach ((string model, BudgetModelPrice price) in other._modelPrices)
        {
            _modelPrices[model] = price;
        }

        _defaultUnitPrice = other._defaultUnitPrice;
        _defaultModelPrice = other._defaultModelPrice;
    }

    private static BudgetModelPrice CreatePrice(decimal input, decimal output, decimal? cached)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(input);
        ArgumentOutOfRangeException.ThrowIfNegative(output);
        if (cached is { } c)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(c, nameof(cached));
        }

        return new BudgetModelPrice(input, output, cached ?? input);
    }

    private void ThrowIfFrozen()
    {
        if (_frozen)
        {
            throw new InvalidOperationException("BudgetPricing is in use by a BudgetTracker and cannot change; configure new BudgetOptions for a new tracker.");
        }
    }
}
