namespace Agents.Cluster;

/// <summary>A claim as the pool grain keeps it.</summary>
[GenerateSerializer]
internal sealed class WorkClaimState
{
    [Id(0)]
    public string ClaimId { get; set; } = "";

    [Id(1)]
    public string Worker { get; set; } = "";

    [Id(2)]
    public DateTimeOffset ExpiresAt { get; set; }
}
