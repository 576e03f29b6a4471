namespace Agents.Samples.OfflineWeb.Generation;

/// <summary>What the generator knows about one attribute: its kind, label and how to phrase a constraint on it.</summary>
internal sealed record AttributeSpec(string Name, AttributeKind Kind, string Label, string Phrase)
{
    /// <summary>Attributes per entity kind.</summary>
    public static IReadOnlyList<AttributeSpec> For(EntityKind kind) => kind switch
    {
        EntityKind.Person =>
        [
            new(AttributeNames.BirthYear, AttributeKind.Year, "year of birth", "was born {0}"),
            new(AttributeNames.Occupation, AttributeKind.Category, "occupation", "works as {0}"),
        ],
        EntityKind.City =>
        [
            new(AttributeNames.Founded, AttributeKind.Year, "founding year", "was founded {0}"),
            new(AttributeNames.Population, AttributeKind.Quantity, "population", "has a population of {0}"),
        ],
        EntityKind.Company =>
        [
            new(AttributeNames.Founded, AttributeKind.Year, "founding year", "was founded {0}"),
            new(AttributeNames.Industry, AttributeKind.Category, "industry", "works in {0}"),
            new(AttributeNames.Employees, AttributeKind.Quantity, "number of employees", "employs {0} people"),
        ],
        EntityKind.Country =>
        [
            new(AttributeNames.Independence, AttributeKind.Year, "year of independence", "became independent {0}"),
            new(AttributeNames.PopulationMillions, AttributeKind.Quantity, "population in millions", "has a population of {0} million"),
            new(AttributeNames.Currency, AttributeKind.Category, "currency", "pays with the {0}"),
        ],
        EntityKind.River =>
        [
            new(AttributeNames.LengthKm, AttributeKind.Quantity, "length in kilometres", "is {0} km long"),
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown entity kind."),
    };

    /// <summary>Builds a constraint that <paramref name="value"/> satisfies, as text and predicate.</summary>
    public (string Text, Func<string, bool> Holds) MakeConstraint(string value, SeededRandom random)
    {
        switch (Kind)
        {
            case AttributeKind.Year:
            {
                int decade = int.Parse(value, CultureInfo.InvariantCulture) / 10 * 10;
                string text = string.Format(CultureInfo.InvariantCulture, Phrase, $"between {decade.ToString(CultureInfo.InvariantCulture)} and {(decade + 9).ToString(CultureInfo.InvariantCulture)}");
                return (text, v => int.Parse(v, CultureInfo.InvariantCulture) / 10 * 10 == decade);
            }

            case AttributeKind.Quantity:
            {
                long n = long.Parse(value, CultureInfo.InvariantCulture);
                long magnitude = 1;
                while (magnitude * 10 <= n)
                {
                    magnitude *= 10;
                }

                long down = n / magnitude * magnitude;
                long up = down + magnitude;
                if (down < n && random.Chance(0.5))
                {
                    string more = string.Format(CultureInfo.InvariantCulture, Phrase, "more than " + down.ToString(CultureInfo.InvariantCulture));
                    return (more, v => long.Parse(v, CultureInfo.InvariantCulture) > down);
                }

                string fewer = string.Format(CultureInfo.InvariantCulture, Phrase, "fewer than " + up.ToString(CultureInfo.InvariantCulture));
                return (fewer, v => long.Parse(v, CultureInfo.InvariantCulture) < up);
            }

            default:
            {
                string article = Name == AttributeNames.Occupation ? (IsVowel(value[0]) ? "an " : "a ") : string.Empty;
                string text = string.Format(CultureInfo.InvariantCulture, Phrase, article + value);
                return (text, v => string.Equals(v, value, StringComparison.Ordinal));
            }
        }
    }

    private static bool IsVowel(char c) => "aeiouAEIOU".Contains(c, StringComparison.Ordinal);
}
