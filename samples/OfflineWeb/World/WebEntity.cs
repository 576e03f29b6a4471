namespace Agents.Samples.OfflineWeb.World;

/// <summary>One synthetic entity of the offline web; each entity has exactly one page.</summary>
/// <param name="Id">A URL-safe slug, unique in the corpus (the page is <c>/wiki/{Id}</c>).</param>
/// <param name="Kind">What the entity is.</param>
/// <param name="Name">The display name (unique in the corpus).</param>
/// <param name="Attributes">Attribute name → value (numbers are written invariantly, without separators).</param>
/// <param name="Relations">Outgoing relations.</param>
public sealed record WebEntity(
    string Id,
    EntityKind Kind,
    string Name,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyList<EntityRelation> Relations);
