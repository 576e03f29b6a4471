namespace Agents.Cluster;

/// <summary>A conversation as a grain answers it: <see cref="Exists"/> false for an id that was never created or was deleted.</summary>
[GenerateSerializer]
[Immutable]
internal sealed class ConversationView
{
    [Id(0)]
    public bool Exists { get; set; }

    [Id(1)]
    public string Title { get; set; } = "";

    [Id(2)]
    public DateTimeOffset CreatedAt { get; set; }

    [Id(3)]
    public List<StoredTurn> Turns { get; set; } = [];
}
