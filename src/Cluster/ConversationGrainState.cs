namespace Agents.Cluster;

/// <summary>The persisted state of one conversation grain, and the copy <see cref="IConversationGrain.GetAsync"/> answers.</summary>
[GenerateSerializer]
internal sealed class ConversationGrainState
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
