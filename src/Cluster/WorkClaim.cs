namespace Agents.Cluster;

/// <summary>A piece of work a worker holds until <see cref="ExpiresAt"/>; after that another worker may claim it.</summary>
/// <param name="Key">The work item's key.</param>
/// <param name="ClaimId">This claim's id.</param>
/// <param name="ExpiresAt">When the claim ends unless renewed or completed.</param>
public sealed record WorkClaim(string Key, string ClaimId, DateTimeOffset ExpiresAt);
