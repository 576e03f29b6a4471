namespace Agents.Cluster;

/// <summary>How far a work pool is.</summary>
/// <param name="Waiting">Items nobody holds (never claimed, released, or whose claim expired).</param>
/// <param name="Claimed">Items held by a live claim.</param>
/// <param name="Done">Items with a recorded result.</param>
[GenerateSerializer]
[Immutable]
public sealed record WorkPoolStatus([property: Id(0)] int Waiting, [property: Id(1)] int Claimed, [property: Id(2)] int Done)
{
    /// <summary>Gets whether every item has its result.</summary>
    public bool IsFinished => Waiting == 0 && Claimed == 0;
}
