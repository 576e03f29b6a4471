namespace Agents.Samples.OfflineWeb.Search;

/// <summary>A small in-memory BM25 index over the pages of an <see cref="OfflineCorpus"/>; immutable and thread-safe.</summary>
public sealed class OfflineSearchIndex
{
    private const double K1 = 1.2;
    private const double B = 0.75;
    private const int SnippetLength = 240;

    private readonly IReadOnlyList<WebPage> _pages;
    private readonly List<Dictionary<string, int>> _termFrequencies = [];
    private readonly Dictionary<string, int> _documentFrequencies = new(StringComparer.Ordinal);
    private readonly int[] _lengths;
    private readonly double _averageLength;

    /// <summary>Indexes every page of <paramref name="corpus"/>.</summary>
    public OfflineSearchIndex(OfflineCorpus corpus)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        _pages = corpus.Pages;
        _lengths = new int[_pages.Count];
        for (int i = 0; i < _pages.Count; i++)
        {
            var tf = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var token in Tokenize(_pages[i].Title + " " + _pages[i].Title + " " + _pages[i].Text))
            {
                tf[token] = tf.GetValueOrDefault(token) + 1;
                _lengths[i]++;
            }

            _termFrequencies.Add(tf);
            foreach (var term in tf.Keys)
            {
                _documentFrequencies[term] = _documentFrequencies.GetValueOrDefault(term) + 1;
            }
        }

        _averageLength = _pages.Count == 0 ? 1 : Math.Max(1, _lengths.Average());
    }

    /// <summary>Returns up to <paramref name="count"/> pages ranked by BM25 for <paramref name="query"/>; empty for a blank query.</summary>
    public IReadOnlyList<OfflineSearchHit> Search(string query, int count = 10)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var terms = Tokenize(query).Distinct(StringComparer.Ordinal).ToList();
        if (terms.Count == 0)
        {
            return [];
        }

        var scored = new List<(int Index, double Score)>();
        for (int i = 0; i < _pages.Count; i++)
        {
            double score = 0;
            foreach (var term in terms)
            {
                if (!_termFrequencies[i].TryGetValue(term, out int tf))
                {
                    continue;
                }

                int df = _documentFrequencies[term];
                double idf = Math.Log(1 + ((_pages.Count - df + 0.5) / (df + 0.5)));
                score += idf * tf * (K1 + 1) / (tf + (K1 * (1 - B + (B * _lengths[i] / _averageLength))));
            }

            if (score > 0)
            {
                scored.Add((i, score));
            }
        }

        return scored
            .OrderByDescending(s => s.Score)
            .ThenBy(s => _pages[s.Index].Path, StringComparer.Ordinal)
            .Take(count)
            .Select(s => new OfflineSearchHit(_pages[s.Index].Path, _pages[s.Index].Title, Snippet(_pages[s.Index].Text), s.Score))
            .ToList();
    }

    internal static IEnumerable<string> Tokenize(string text)
    {
        int start = -1;
        for (int i = 0; i <= text.Length; i++)
        {
            bool letter = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (letter && start < 0)
            {
                start = i;
            }
            else if (!letter && start >= 0)
            {
                yield return text[start..i].ToLowerInvariant();
                start = -1;
            }
        }
    }

    private static string Snippet(string text)
    {
        int firstLineEnd = text.IndexOf('\n', StringComparison.Ordinal);
        string body = firstLineEnd >= 0 ? text[(firstLineEnd + 1)..] : text;
        body = body.Replace('\n', ' ').Trim();
        return body.Length <= SnippetLength ? body : body[..SnippetLength].TrimEnd() + "…";
    }
}
