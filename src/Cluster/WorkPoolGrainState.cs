namespace Agents.Cluster;

/// <summary>The persisted state of one work queue.</summary>
[GenerateSerializer]
internal sealed class WorkPoolGrainState
{
    /// <summary>Keys in the order they were added.</summary>
    [Id(0)]
    public List<string> Keys { get; set; } = [];

    /// <summary>Live or expired claims by key.</summary>
    [Id(1)]
    public Dictionary<string, WorkClaimState> Claims { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Recorded results by key: each key's first result, kept once.</summary>
    [Id(2)]
    public Dictionary<string, string> Results { get; set; } = new(StringComparer.Ordinal);

    [Id(3)]
    public long Sequence { get; set; }
}
