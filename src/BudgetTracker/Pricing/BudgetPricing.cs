using System.Collections.ObjectModel;

namespace Agents.Budget;

/// <summary>
/// Prices for the unified cost (BATS §2.2): cost = uncached input tokens × input price + cached input tokens ×
/// cached price + output tokens × output price + Σ units × unit price of their category.
/// </summary>
/// <remarks>
/// <para>Defaults: <see cref="DefaultUnitPrice"/> is $0.001 per tool unit; token prices are 0 unless set in
/// <see cref="ModelPrices"/> or <see cref="DefaultModelPrice"/>. Category and model names are case-insensitive.</para>
/// <para>Bindable from configuration (the <c>Pricing</c> section of <see cref="BudgetOptions"/>):
/// <c>{ "DefaultUnitPrice": 0.001, "UnitPrices": { "search": 0.005 }, "ModelPrices": { "gpt-4.1-mini": { "InputPerMillionTokens": 0.4, "OutputPerMillionTokens": 1.6 } } }</c>.
/// Bad prices are reported by <see cref="BudgetOptions.Validate"/>. The pricing is frozen once a <see cref="BudgetTracker"/> uses its options.</para>
/// </remarks>
public sealed class BudgetPricing
{
    private const decimal InitialUnitPrice = 0.001m;

    private IDictionary<string, decimal> _unitPrices = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
    private IDictionary<string, BudgetModelPrice> _modelPrices = new Dictionary<string, BudgetModelPrice>(StringComparer.OrdinalIgnoreCase);
    private decimal _defaultUnitPrice = InitialUnitPrice;
    private BudgetModelPrice _defaultModelPrice;
    private bool _frozen;

    /// <summary>Gets or sets the price in US dollars of one unit of a category without its own price, zero or more. Default $0.001.</summary>
    public decimal DefaultUnitPrice
    {
        get => _defaultUnitPrice;
        set
        {
            ThrowIfFrozen();
            _defaultUnitPrice = value;
        }
    }

    /// <summary>Gets or sets the token prices used for usage reports whose model has no price of its own (all 0 by default).</summary>
    public BudgetModelPrice DefaultModelPrice
    {
        get => _defaultModelPrice;
        set
        {
            ThrowIfFrozen();
            _defaultModelPrice = value;
        }
    }

    /// <summary>
    /// Gets the price in US dollars of one unit (one call, or one element of the units argument) per category. Each category
    /// must be one the options know (a limit, a mapping, the default category or <see cref="BudgetOptions.Categories"/>).
    /// </summary>
    public IDictionary<string, decimal> UnitPrices => _unitPrices;

    /// <summary>Gets the token prices per model id, as the provider reports it (for example <c>gpt-4.1-mini</c>).</summary>
    public IDictionary<string, BudgetModelPrice> ModelPrices => _modelPrices;

    /// <summary>Gets a value indicating whether no price was set (all defaults).</summary>
    internal bool IsDefault => _unitPrices.Count == 0 && _modelPrices.Count == 0 && _defaultUnitPrice == InitialUnitPrice && _defaultModelPrice == default;

    /// <summary>Sets the price of one unit of a category.</summary>
    /// <param name="category">The category, for example <c>search</c>. It must be a category the options know
    /// (a limit, a mapping, the default category or <see cref="BudgetOptions.AddCategory"/>); <see cref="BudgetOptions.Validate"/> checks it.</param>
    /// <param name="usd">The price in US dollars, zero or more.</param>
    /// <returns>This instance.</returns>
    public BudgetPricing SetUnitPrice(string category, decimal usd)
    {
        ArgumentNullException.ThrowIfNull(category);
        ThrowIfFrozen();
        _unitPrices[category.Trim()] = usd;
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
        ArgumentNullException.ThrowIfNull(modelId);
        ThrowIfFrozen();
        _modelPrices[modelId] = CreatePrice(inputPerMTok, outputPerMTok, cachedInputPerMTok);
        return this;
    }

    /// <summary>Sets <see cref="DefaultModelPrice"/>: the token prices used when a usage report names no model or a model without a price.</summary>
    /// <param name="inputPerMTok">Price of a million uncached input tokens.</param>
    /// <param name="outputPerMTok">Price of a million output tokens.</param>
    /// <param name="cachedInputPerMTok">Price of a million cached input tokens; <see langword="null"/> uses <paramref name="inputPerMTok"/>.</param>
    /// <returns>This instance.</returns>
    public BudgetPricing SetDefaultModelPrice(decimal inputPerMTok, decimal outputPerMTok, decimal? cachedInputPerMTok = null)
    {
        DefaultModelPrice = CreatePrice(inputPerMTok, outputPerMTok, cachedInputPerMTok);
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

    /// <summary>Freezes the prices: the collections become read-only copies (names trimmed) and the setters throw.</summary>
    internal void Freeze()
    {
        if (_frozen)
        {
            return;
        }

        _frozen = true;
        _unitPrices = new ReadOnlyDictionary<string, decimal>(_unitPrices.ToDictionary(p => p.Key.Trim(), p => p.Value, StringComparer.OrdinalIgnoreCase));
        _modelPrices = new ReadOnlyDictionary<string, BudgetModelPrice>(new Dictionary<string, BudgetModelPrice>(_modelPrices, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>Lists what is wrong with the prices, naming each key under <paramref name="path"/>.</summary>
    internal IEnumerable<string> Failures(string path)
    {
        if (_defaultUnitPrice < 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{path}:DefaultUnitPrice must be zero or more (was {_defaultUnitPrice}).");
        }

        foreach ((string category, decimal price) in _unitPrices)
        {
            if (string.IsNullOrWhiteSpace(category))
            {
                yield return $"{path}:UnitPrices has an empty category name.";
            }
            else if (price < 0)
            {
                yield return string.Create(CultureInfo.InvariantCulture, $"{path}:UnitPrices:{category} must be zero or more (was {price}).");
            }
        }

        foreach (string failure in _defaultModelPrice.Failures($"{path}:DefaultModelPrice"))
        {
            yield return failure;
        }

        foreach ((string model, BudgetModelPrice price) in _modelPrices)
        {
            if (string.IsNullOrWhiteSpace(model))
            {
                yield return $"{path}:ModelPrices has an empty model id.";
            }

            foreach (string failure in price.Failures($"{path}:ModelPrices:{model}"))
            {
                yield return failure;
            }
        }
    }

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

    private static BudgetModelPrice CreatePrice(decimal input, decimal output, decimal? cached) =>
        cached is { } c ? new BudgetModelPrice(input, output, c) : new BudgetModelPrice(input, output);

    private void ThrowIfFrozen()
    {
        if (_frozen)
        {
            throw new InvalidOperationException("BudgetPricing is in use by a BudgetTracker and cannot change; configure new BudgetOptions for a new tracker.");
        }
    }
}
