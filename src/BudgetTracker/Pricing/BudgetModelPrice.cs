namespace Agents.Budget;

/// <summary>Token prices of one model, in US dollars per million tokens.</summary>
/// <remarks>
/// Bindable from configuration, for example <c>{ "InputPerMillionTokens": 0.4, "OutputPerMillionTokens": 1.6 }</c>;
/// <see cref="CachedInputPerMillionTokens"/> is <see cref="InputPerMillionTokens"/> unless set.
/// </remarks>
public readonly record struct BudgetModelPrice
{
    private readonly decimal? _cachedInputPerMillionTokens;

    /// <summary>Creates the prices; cached input tokens cost as much as uncached ones.</summary>
    /// <param name="inputPerMillionTokens">Price of one million uncached input tokens.</param>
    /// <param name="outputPerMillionTokens">Price of one million output tokens.</param>
    public BudgetModelPrice(decimal inputPerMillionTokens, decimal outputPerMillionTokens)
    {
        InputPerMillionTokens = inputPerMillionTokens;
        OutputPerMillionTokens = outputPerMillionTokens;
    }

    /// <summary>Creates the prices.</summary>
    /// <param name="inputPerMillionTokens">Price of one million uncached input tokens.</param>
    /// <param name="outputPerMillionTokens">Price of one million output tokens.</param>
    /// <param name="cachedInputPerMillionTokens">Price of one million cached (cache-hit) input tokens.</param>
    public BudgetModelPrice(decimal inputPerMillionTokens, decimal outputPerMillionTokens, decimal cachedInputPerMillionTokens)
        : this(inputPerMillionTokens, outputPerMillionTokens)
    {
        _cachedInputPerMillionTokens = cachedInputPerMillionTokens;
    }

    /// <summary>Gets the price of one million uncached input tokens.</summary>
    public decimal InputPerMillionTokens { get; init; }

    /// <summary>Gets the price of one million output tokens.</summary>
    public decimal OutputPerMillionTokens { get; init; }

    /// <summary>Gets the price of one million cached (cache-hit) input tokens; <see cref="InputPerMillionTokens"/> unless set.</summary>
    public decimal CachedInputPerMillionTokens
    {
        get => _cachedInputPerMillionTokens ?? InputPerMillionTokens;
        init => _cachedInputPerMillionTokens = value;
    }

    /// <summary>Computes the cost of one usage report.</summary>
    /// <param name="inputTokens">All input tokens, cached ones included (as providers report them).</param>
    /// <param name="outputTokens">Output tokens.</param>
    /// <param name="cachedInputTokens">The cached part of <paramref name="inputTokens"/>.</param>
    /// <returns>The cost in US dollars.</returns>
    public decimal Cost(long inputTokens, long outputTokens, long cachedInputTokens)
    {
        long uncached = Math.Max(0, inputTokens - cachedInputTokens);
        return ((uncached * InputPerMillionTokens) + (cachedInputTokens * CachedInputPerMillionTokens) + (outputTokens * OutputPerMillionTokens)) / 1_000_000m;
    }

    /// <summary>Compares the three prices.</summary>
    /// <param name="other">The other prices.</param>
    /// <returns>Whether all three prices are equal.</returns>
    public bool Equals(BudgetModelPrice other) =>
        InputPerMillionTokens == other.InputPerMillionTokens
        && OutputPerMillionTokens == other.OutputPerMillionTokens
        && CachedInputPerMillionTokens == other.CachedInputPerMillionTokens;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(InputPerMillionTokens, OutputPerMillionTokens, CachedInputPerMillionTokens);

    /// <summary>Lists the failures of these prices (a negative price), naming each key under <paramref name="path"/>.</summary>
    internal IEnumerable<string> Failures(string path)
    {
        if (InputPerMillionTokens < 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{path}:InputPerMillionTokens must be zero or more (was {InputPerMillionTokens}).");
        }

        if (OutputPerMillionTokens < 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{path}:OutputPerMillionTokens must be zero or more (was {OutputPerMillionTokens}).");
        }

        if (_cachedInputPerMillionTokens < 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{path}:CachedInputPerMillionTokens must be zero or more (was {_cachedInputPerMillionTokens}).");
        }
    }
}
