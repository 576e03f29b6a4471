namespace Agents.Samples.OfflineWeb.Generation;

/// <summary>One edge of the relation graph seen from an entity: follow <see cref="Relation"/> forward or backward to <see cref="NeighborId"/>.</summary>
internal sealed record RelationStep(string Relation, bool Forward, string NeighborId);
