using System.Text;

namespace Agents.Plugins.Benchmarks;

/// <summary>Deterministic generated text for the benchmarks.</summary>
internal static class Corpus
{
    private static readonly string[] Syllables = ["ka", "lo", "mi", "ra", "te", "zu", "pen", "dor", "vi", "sha", "qu", "nel", "bri", "tos", "gam", "fer"];

    public static string[] Vocabulary(int size, int seed)
    {
        var random = new Random(seed);
        var words = new HashSet<string>();
        while (words.Count < size)
        {
            var parts = random.Next(2, 5);
            var word = new StringBuilder();
            for (var i = 0; i < parts; i++)
            {
                word.Append(Syllables[random.Next(Syllables.Length)]);
            }

            words.Add(word.ToString());
        }

        return [.. words];
    }

    public static string Paragraph(Random random, string[] vocabulary, int words)
    {
        var text = new StringBuilder();
        for (var i = 0; i < words; i++)
        {
            // Zipf-like: common words are much more frequent than rare ones.
            var index = (int)Math.Min(vocabulary.Length - 1, Math.Floor(Math.Pow(random.NextDouble(), 3) * vocabulary.Length));
            text.Append(vocabulary[index]).Append(i % 12 == 11 ? ". " : " ");
        }

        return text.ToString().Trim();
    }
}
