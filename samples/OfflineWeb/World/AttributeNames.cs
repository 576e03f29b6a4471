namespace Agents.Samples.OfflineWeb.World;

/// <summary>The attribute names used by the generator.</summary>
public static class AttributeNames
{
    /// <summary>Founding year (cities, companies).</summary>
    public const string Founded = "founded";

    /// <summary>Year of birth (people).</summary>
    public const string BirthYear = "birth_year";

    /// <summary>Occupation (people).</summary>
    public const string Occupation = "occupation";

    /// <summary>Population (cities; for countries in millions, see <see cref="PopulationMillions"/>).</summary>
    public const string Population = "population";

    /// <summary>Population in millions (countries).</summary>
    public const string PopulationMillions = "population_millions";

    /// <summary>Industry (companies).</summary>
    public const string Industry = "industry";

    /// <summary>Number of employees (companies).</summary>
    public const string Employees = "employees";

    /// <summary>Year of independence (countries).</summary>
    public const string Independence = "independence";

    /// <summary>Currency (countries).</summary>
    public const string Currency = "currency";

    /// <summary>Length in kilometres (rivers).</summary>
    public const string LengthKm = "length_km";
}
