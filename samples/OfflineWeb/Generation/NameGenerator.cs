namespace Agents.Samples.OfflineWeb.Generation;

/// <summary>Makes pronounceable invented names that are unique across one corpus.</summary>
internal sealed class NameGenerator(SeededRandom random)
{
    private static readonly string[] Onsets = ["b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "kr", "st", "tr", "sh", "th", "vel", "mar"];
    private static readonly string[] Vowels = ["a", "e", "i", "o", "u", "ai", "ei", "ou", "ia"];
    private static readonly string[] Codas = ["", "", "", "n", "r", "l", "s", "th", "nd", "rk", "m"];

    private readonly HashSet<string> _used = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Returns a capitalized invented word of 2–3 syllables.</summary>
    public string Word(int minSyllables = 2, int maxSyllables = 3)
    {
        var sb = new StringBuilder();
        int syllables = random.Next(minSyllables, maxSyllables + 1);
        for (int i = 0; i < syllables; i++)
        {
            sb.Append(random.Pick(Onsets)).Append(random.Pick(Vowels));
            if (i == syllables - 1 || random.Chance(0.3))
            {
                sb.Append(random.Pick(Codas));
            }
        }

        string word = sb.ToString();
        return char.ToUpper(word[0], CultureInfo.InvariantCulture) + word[1..];
    }

    /// <summary>Returns a name built by <paramref name="make"/> that no earlier call returned.</summary>
    public string Unique(Func<string> make)
    {
        for (int attempt = 0; attempt < 10_000; attempt++)
        {
            string candidate = make();
            if (_used.Add(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("The name generator ran out of unique names; generate fewer entities.");
    }

    public static string Slug(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (char c in name.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                sb.Append(c);
            }
            else if (sb.Length > 0 && sb[^1] != '-')
            {
                sb.Append('-');
            }
        }

        return sb.ToString().Trim('-');
    }
}
