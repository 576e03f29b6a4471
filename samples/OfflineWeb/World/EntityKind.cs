namespace Agents.Samples.OfflineWeb.World;

/// <summary>The kinds of synthetic entities the offline web describes.</summary>
public enum EntityKind
{
    /// <summary>A person (birth year, occupation; born in a city, works for a company).</summary>
    Person,

    /// <summary>A city (founding year, population; in a country, on a river).</summary>
    City,

    /// <summary>A company (founding year, industry, employees; founded by a person, headquartered in a city).</summary>
    Company,

    /// <summary>A country (independence year, population, currency).</summary>
    Country,

    /// <summary>A river (length; rises in a country).</summary>
    River,
}
