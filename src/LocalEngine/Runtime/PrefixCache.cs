namespace Agents.LocalEngine.Runtime;

/// <summary>
/// One-row KV caches of recent conversations, keyed by the tokens they hold, least recently used evicted first once their
/// tensors exceed a byte budget. A prompt that extends an entry takes that entry (it will be stored again, longer); a
/// prompt that shares only part of an entry gets a copy of that part and the entry stays.
/// </summary>
internal sealed class PrefixCache(long budgetBytes) : IDisposable
{
    // Most recently used first.
    private readonly LinkedList<Entry> _entries = [];

    /// <summary>Gets the number of conversations held.</summary>
    public int Count => _entries.Count;

    /// <summary>Gets the bytes the held caches occupy.</summary>
    public long Bytes { get; private set; }

    /// <summary>
    /// Finds the entry sharing the longest prefix with <paramref name="prompt"/> (at most all but its last token, which must
    /// run to give logits) and returns a one-row cache of that prefix, or null when none shares a token.
    /// </summary>
    public (KvCache Cache, int Common)? Take(IReadOnlyList<int> prompt)
    {
        var (best, bestCommon) = Longest(prompt);
        if (best is null)
        {
            return null;
        }

        var entry = best.Value;
        if (bestCommon == entry.Tokens.Length)
        {
            _entries.Remove(best);
            Bytes -= entry.Bytes;
            return (entry.Cache, bestCommon);
        }

        _entries.Remove(best);
        _entries.AddFirst(best);
        return (entry.Cache.CopyPrefix(bestCommon, 1), bestCommon);
    }

    /// <summary>Gets how many leading tokens of <paramref name="prompt"/> <see cref="Take"/> would find cached (0 for none), changing nothing.</summary>
    public int CommonLength(IReadOnlyList<int> prompt) => Longest(prompt).Common;

    private (LinkedListNode<Entry>? Node, int Common) Longest(IReadOnlyList<int> prompt)
    {
        LinkedListNode<Entry>? best = null;
        var bestCommon = 0;
        for (var node = _entries.First; node is not null; node = node.Next)
        {
            var tokens = node.Value.Tokens;
            var limit = Math.Min(tokens.Length, prompt.Count - 1);
            var common = 0;
            while (common < limit && tokens[common] == prompt[common])
            {
                common++;
            }

            if (common > bestCommon)
            {
                (best, bestCommon) = (node, common);
            }
        }

        return (best, bestCommon);
    }

    /// <summary>
    /// Keeps <paramref name="cache"/> (one row holding <paramref name="tokens"/>), taking ownership: entries it extends are
    /// dropped, and it is dropped itself when an entry already extends it or it alone exceeds the budget.
    /// </summary>
    public void Store(int[] tokens, KvCache cache)
    {
        var bytes = cache.Bytes;
        if (bytes > budgetBytes || tokens.Length == 0)
        {
            cache.Dispose();
            return;
        }

        for (var node = _entries.First; node is not null;)
        {
            var next = node.Next;
            var held = node.Value.Tokens;
            if (IsPrefix(tokens, held))
            {
                // An entry holds all of this already: keep that one, recently used.
                _entries.Remove(node);
                _entries.AddFirst(node);
                cache.Dispose();
                return;
            }

            if (IsPrefix(held, tokens))
            {
                Remove(node);
            }

            node = next;
        }

        _entries.AddFirst(new Entry(tokens, cache, bytes));
        Bytes += bytes;
        while (Bytes > budgetBytes && _entries.Last is { } last)
        {
            Remove(last);
        }
    }

    public void Dispose()
    {
        while (_entries.First is { } first)
        {
            Remove(first);
        }
    }

    private static bool IsPrefix(int[] prefix, int[] of) => prefix.Length <= of.Length && prefix.AsSpan().SequenceEqual(of.AsSpan(0, prefix.Length));

    private void Remove(LinkedListNode<Entry> node)
    {
        _entries.Remove(node);
        Bytes -= node.Value.Bytes;
        node.Value.Cache.Dispose();
    }

    private sealed record Entry(int[] Tokens, KvCache Cache, long Bytes);
}
