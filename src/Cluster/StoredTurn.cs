namespace Agents.Cluster;

/// <summary>A turn as conversation grains keep and send it.</summary>
[GenerateSerializer]
[Immutable]
internal sealed class StoredTurn
{
    [Id(0)]
    public string Role { get; set; } = "";

    [Id(1)]
    public string Payload { get; set; } = "";
}
