namespace Agents.Samples.OfflineWeb.Generation;

/// <summary>English phrasing of relation hops for questions and pages.</summary>
internal static class RelationPhrases
{
    /// <summary>Describes the entities reached over a relation from entities described by <paramref name="inner"/>.</summary>
    public static string Describe(string relation, bool forward, string inner) => (relation, forward) switch
    {
        (RelationNames.BornIn, true) => $"the city where {inner} was born",
        (RelationNames.BornIn, false) => $"a person born in {inner}",
        (RelationNames.WorksFor, true) => $"the company that {inner} works for",
        (RelationNames.WorksFor, false) => $"a person who works for {inner}",
        (RelationNames.FoundedBy, true) => $"the person who founded {inner}",
        (RelationNames.FoundedBy, false) => $"a company founded by {inner}",
        (RelationNames.HeadquarteredIn, true) => $"the city where {inner} has its headquarters",
        (RelationNames.HeadquarteredIn, false) => $"a company headquartered in {inner}",
        (RelationNames.InCountry, true) => $"the country where {inner} lies",
        (RelationNames.InCountry, false) => $"a city in {inner}",
        (RelationNames.OnRiver, true) => $"the river that flows through {inner}",
        (RelationNames.OnRiver, false) => $"a city on {inner}",
        (RelationNames.RisesIn, true) => $"the country where {inner} rises",
        (RelationNames.RisesIn, false) => $"a river that rises in {inner}",
        _ => throw new ArgumentOutOfRangeException(nameof(relation), relation, "Unknown relation."),
    };

    public static string Noun(EntityKind kind) => kind switch
    {
        EntityKind.Person => "person",
        EntityKind.City => "city",
        EntityKind.Company => "company",
        EntityKind.Country => "country",
        EntityKind.River => "river",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown entity kind."),
    };
}
