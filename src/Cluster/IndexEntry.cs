namespace Agents.Cluster;

/// <summary>One conversation in the index: what a list shows without waking every conversation grain.</summary>
[GenerateSerializer]
internal sealed class IndexEntry
{
    [Id(0)]
    public string Id { get; set; } = "";

    [Id(1)]
    public string Title { get; set; } = "";

    [Id(2)]
    public DateTimeOffset CreatedAt { get; set; }

    [Id(3)]
    public int TurnCount { get; set; }
}
