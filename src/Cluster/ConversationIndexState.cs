namespace Agents.Cluster;

/// <summary>The persisted state of the conversation index grain.</summary>
[GenerateSerializer]
internal sealed class ConversationIndexState
{
    [Id(0)]
    public List<IndexEntry> Entries { get; set; } = [];
}
