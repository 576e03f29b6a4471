namespace Agents.Planners.Runs;

/// <summary>What one run spent: tokens, tool units per category, and the unified cost in US dollars.</summary>
/// <remarks>
/// Unified cost = token cost (input, output and cached input priced separately) + Σ units × unit price, using
/// the shared tracker's pricing. A strategy's cost includes the cost of every sub-run it started, cancelled ones too.
/// </remarks>
public sealed record AgentRunCost
{
    /// <summary>Gets a cost of nothing.</summary>
    public static AgentRunCost Zero { get; } = new();

    /// <summary>Gets input tokens.</summary>
    public long InputTokens { get; init; }

    /// <summary>Gets output tokens.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Gets cached input tokens (a part of <see cref="InputTokens"/>).</summary>
    public long CachedInputTokens { get; init; }

    /// <summary>Gets the number of model calls.</summary>
    public int ModelCalls { get; init; }

    /// <summary>Gets tool units charged, per budget category.</summary>
    public IReadOnlyDictionary<string, long> ToolUnits { get; init; } = new Dictionary<string, long>();

    /// <summary>Gets the unified cost in US dollars.</summary>
    public decimal CostUsd { get; init; }

    /// <summary>Gets the total tool units over all categories.</summary>
    public long TotalToolUnits => ToolUnits.Values.Sum();

    /// <summary>Adds two costs.</summary>
    /// <param name="other">The other cost.</param>
    /// <returns>The sum.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public AgentRunCost Add(AgentRunCost other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var units = new Dictionary<string, long>(ToolUnits, StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, long> pair in other.ToolUnits)
        {
            units[pair.Key] = units.GetValueOrDefault(pair.Key) + pair.Value;
        }

        return new AgentRunCost
        {
            InputTokens = InputTokens + other.InputTokens,
            OutputTokens = OutputTokens + other.OutputTokens,
            CachedInputTokens = CachedInputTokens + other.CachedInputTokens,
            ModelCalls = ModelCalls + other.ModelCalls,
            ToolUnits = units,
            CostUsd = CostUsd + other.CostUsd,
        };
    }
}
