namespace Agents.Cluster;

/// <summary>A claim as the pool grain answers it.</summary>
[GenerateSerializer]
[Immutable]
internal sealed class ClaimView
{
    [Id(0)]
    public string Key { get; set; } = "";

    [Id(1)]
    public string ClaimId { get; set; } = "";

    [Id(2)]
    public DateTimeOffset ExpiresAt { get; set; }
}
