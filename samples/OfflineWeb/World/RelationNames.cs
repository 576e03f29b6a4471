namespace Agents.Samples.OfflineWeb.World;

/// <summary>The relation names used by the generator.</summary>
public static class RelationNames
{
    /// <summary>Person → City.</summary>
    public const string BornIn = "born_in";

    /// <summary>Person → Company.</summary>
    public const string WorksFor = "works_for";

    /// <summary>Company → Person.</summary>
    public const string FoundedBy = "founded_by";

    /// <summary>Company → City.</summary>
    public const string HeadquarteredIn = "headquartered_in";

    /// <summary>City → Country.</summary>
    public const string InCountry = "in_country";

    /// <summary>City → River.</summary>
    public const string OnRiver = "on_river";

    /// <summary>River → Country.</summary>
    public const string RisesIn = "rises_in";
}
