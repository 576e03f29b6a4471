namespace Agents.Samples.OfflineWeb.World;

/// <summary>A directed, named link from one entity to another (for example a person <c>born_in</c> a city).</summary>
/// <param name="Name">The relation name, one of <see cref="RelationNames"/>.</param>
/// <param name="TargetId">The id of the entity the relation points to.</param>
public sealed record EntityRelation(string Name, string TargetId);
