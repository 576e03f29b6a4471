namespace Agents.LocalEngine.Constraints;

/// <summary>
/// A byte trie over token texts, so that tokens sharing a prefix are checked against the automaton once for that prefix and
/// a refused byte skips every token below it. Nodes are numbered in depth-first order; node 0 is the root.
/// </summary>
internal sealed class TokenTrie
{
    private TokenTrie(byte[] bytes, int[] firstChild, int[] nextSibling, int[] tokenStart, int[] tokenCount, int[] ids)
    {
        Byte = bytes;
        FirstChild = firstChild;
        NextSibling = nextSibling;
        TokenStart = tokenStart;
        TokenCount = tokenCount;
        Ids = ids;
    }

    /// <summary>Gets the byte on the edge into each node.</summary>
    public byte[] Byte { get; }

    public int[] FirstChild { get; }

    public int[] NextSibling { get; }

    /// <summary>Gets where the tokens ending at each node start in <see cref="Ids"/>.</summary>
    public int[] TokenStart { get; }

    public int[] TokenCount { get; }

    public int[] Ids { get; }

    /// <summary>Builds the trie of the given tokens (tokens with no bytes are left out).</summary>
    public static TokenTrie Build(byte[][] tokenBytes, IEnumerable<int> ids)
    {
        var sorted = ids.Where(i => tokenBytes[i].Length > 0).ToArray();
        Array.Sort(sorted, (a, b) =>
        {
            var c = tokenBytes[a].AsSpan().SequenceCompareTo(tokenBytes[b]);
            return c != 0 ? c : a.CompareTo(b);
        });

        var bytes = new List<byte> { 0 };
        var firstChild = new List<int> { -1 };
        var nextSibling = new List<int> { -1 };
        var lastChild = new List<int> { -1 };
        var tokenStart = new List<int> { 0 };
        var tokenCount = new List<int> { 0 };
        var path = new List<int> { 0 };
        byte[] previous = [];
        for (var t = 0; t < sorted.Length; t++)
        {
            var token = tokenBytes[sorted[t]];
            var common = token.AsSpan().CommonPrefixLength(previous);
            path.RemoveRange(common + 1, path.Count - common - 1);
            for (var d = common; d < token.Length; d++)
            {
                var parent = path[^1];
                var node = bytes.Count;
                bytes.Add(token[d]);
                firstChild.Add(-1);
                nextSibling.Add(-1);
                lastChild.Add(-1);
                tokenStart.Add(0);
                tokenCount.Add(0);
                if (lastChild[parent] < 0)
                {
                    firstChild[parent] = node;
                }
                else
                {
                    nextSibling[lastChild[parent]] = node;
                }

                lastChild[parent] = node;
                path.Add(node);
            }

            var end = path[^1];
            if (tokenCount[end] == 0)
            {
                tokenStart[end] = t;
            }

            tokenCount[end]++;
            previous = token;
        }

        return new TokenTrie([.. bytes], [.. firstChild], [.. nextSibling], [.. tokenStart], [.. tokenCount], sorted);
    }
}
