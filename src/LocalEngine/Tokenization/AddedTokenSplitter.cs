namespace Agents.LocalEngine.Tokenization;

/// <summary>
/// Cuts text into added tokens and the plain text between them, leftmost-longest match first, as Hugging Face
/// <c>tokenizers</c> does before normalization. <c>lstrip</c>/<c>rstrip</c> tokens swallow the whitespace beside them.
/// </summary>
/// <remarks>
/// Every added token is matched on the raw text; tokenizers match <c>"normalized": true</c> tokens on the normalized
/// text instead, which only differs for tokens the normalizer would change. <c>single_word</c> is not honoured.
/// </remarks>
internal sealed class AddedTokenSplitter
{
    private readonly Dictionary<char, AddedToken[]> _byFirstChar;

    public AddedTokenSplitter(IEnumerable<AddedToken> tokens)
    {
        _byFirstChar = tokens
            .Where(t => t.Content.Length > 0)
            .GroupBy(t => t.Content[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Content.Length).ToArray());
    }

    /// <summary>Appends the segments of <paramref name="text"/> in order.</summary>
    public void Split(string text, List<Segment> segments)
    {
        var start = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (!TryMatch(text, i, out var token))
            {
                i++;
                continue;
            }

            var plainEnd = i;
            if (token.LStrip)
            {
                while (plainEnd > start && char.IsWhiteSpace(text[plainEnd - 1]))
                {
                    plainEnd--;
                }
            }

            if (plainEnd > start)
            {
                segments.Add(new Segment(start, plainEnd - start, -1));
            }

            segments.Add(new Segment(i, token.Content.Length, token.Id));
            i += token.Content.Length;
            if (token.RStrip)
            {
                while (i < text.Length && char.IsWhiteSpace(text[i]))
                {
                    i++;
                }
            }

            start = i;
        }

        if (start < text.Length)
        {
            segments.Add(new Segment(start, text.Length - start, -1));
        }
    }

    private bool TryMatch(string text, int at, out AddedToken token)
    {
        if (_byFirstChar.TryGetValue(text[at], out var candidates))
        {
            var rest = text.AsSpan(at);
            foreach (var candidate in candidates)
            {
                if (rest.StartsWith(candidate.Content, StringComparison.Ordinal))
                {
                    token = candidate;
                    return true;
                }
            }
        }

        token = default;
        return false;
    }

    /// <summary>A run of plain text (<see cref="TokenId"/> -1) or one added token.</summary>
    internal readonly record struct Segment(int Start, int Length, int TokenId);
}
