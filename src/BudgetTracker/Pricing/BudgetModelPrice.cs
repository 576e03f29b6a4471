namespace Agents.Budget;

/// <summary>Token prices of one model, in US dollars per million tokens.</summary>
/// <param name="InputPerMillionTokens">Price of one million uncached input tokens.</param>
/// <param name="OutputPerMillionTokens">Price of one million output tokens.</param>
/// <param name="CachedInputPerMillionTokens">Price of one million cached (cache-hit) input tokens.</param>
public readonly record struct BudgetModelPrice(decimal InputPerMillionTokens, decimal OutputPerMillionTokens, decimal CachedInputPerMillionTokens)
{
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
}
