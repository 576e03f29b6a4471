using System.Buffers;
using System.Text;

namespace Agents.LocalEngine.Tokenization;

/// <summary>
/// The BPE of Llama-2 / Mistral / Phi-3 / Gemma tokenizer.json files, with the semantics of Hugging Face <c>tokenizers</c>:
/// added tokens are cut out first; each piece between them is normalized and (optionally) Metaspace pre-tokenized;
/// each word starts as its Unicode characters (a character missing from the vocabulary becomes its UTF-8 bytes as
/// <c>&lt;0xXX&gt;</c> tokens with byte fallback, else the unknown token) and pairs are merged lowest rank first,
/// leftmost first among equal ranks.
/// </summary>
internal sealed class SentencePieceBpeEncoder : ITokenEncoder
{
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _vocab;
    private readonly Dictionary<long, Merge> _merges;
    private readonly int[] _byteIds;
    private readonly int _unkId;
    private readonly bool _fuseUnk;
    private readonly bool _ignoreMerges;
    private readonly AddedTokenSplitter _added;
    private readonly TextNormalizer _normalizer;
    private readonly MetaspaceSettings? _metaspace;

    /// <param name="vocab">model.vocab (ordinal comparer).</param>
    /// <param name="merges">model.merges in rank order; both halves and their concatenation must be in <paramref name="vocab"/>.</param>
    /// <param name="options">unk token, fuse_unk, byte_fallback, ignore_merges.</param>
    /// <param name="added">Splits out added tokens.</param>
    /// <param name="normalizer">The normalizer.</param>
    /// <param name="metaspace">The Metaspace pre-tokenizer, or null for none.</param>
    /// <param name="path">tokenizer.json, for errors.</param>
    public SentencePieceBpeEncoder(Dictionary<string, int> vocab, IReadOnlyList<(string Left, string Right)> merges, ModelOptions options,
        AddedTokenSplitter added, TextNormalizer normalizer, MetaspaceSettings? metaspace, string path)
    {
        _vocab = vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        _merges = new Dictionary<long, Merge>(merges.Count);
        for (var rank = 0; rank < merges.Count; rank++)
        {
            var (left, right) = merges[rank];
            var l = Lookup(vocab, left, rank, path);
            var r = Lookup(vocab, right, rank, path);
            var merged = Lookup(vocab, left + right, rank, path);

            // A pair listed twice keeps its first (best) rank.
            _merges.TryAdd(Key(l, r), new Merge(rank, merged));
        }

        _byteIds = new int[256];
        for (var b = 0; b < 256; b++)
        {
            _byteIds[b] = options.ByteFallback && vocab.TryGetValue($"<0x{b:X2}>", out var id) ? id : -1;
        }

        if (options.UnkToken is { } unk)
        {
            _unkId = vocab.TryGetValue(unk, out var unkId)
                ? unkId
                : throw new LocalModelLoadException(path, $"model.unk_token '{unk}' is not in model.vocab.", null);
        }
        else
        {
            _unkId = -1;
        }

        _fuseUnk = options.FuseUnk;
        _ignoreMerges = options.IgnoreMerges;
        _added = added;
        _normalizer = normalizer;
        _metaspace = metaspace;
    }

    public void Encode(string text, List<int> ids)
    {
        var segments = new List<AddedTokenSplitter.Segment>();
        _added.Split(text, segments);
        var work = new Workspace();
        try
        {
            foreach (var segment in segments)
            {
                if (segment.TokenId >= 0)
                {
                    ids.Add(segment.TokenId);
                    continue;
                }

                EncodePiece(text.AsSpan(segment.Start, segment.Length), segment.Start == 0, ids, work);
            }
        }
        finally
        {
            work.Return();
        }
    }

    private void EncodePiece(ReadOnlySpan<char> raw, bool atStart, List<int> ids, Workspace work)
    {
        var s = _normalizer.Apply(raw);
        if (s.Length == 0)
        {
            return;
        }

        if (_metaspace is not { } ms)
        {
            EncodeWord(s, ids, work);
            return;
        }

        s = s.Replace(' ', ms.Replacement);

        // "first" prepends only to the piece that starts the input: not after an added token.
        if (s[0] != ms.Replacement && (ms.Scheme == PrependScheme.Always || (ms.Scheme == PrependScheme.First && atStart)))
        {
            s = ms.Replacement + s;
        }

        if (!ms.Split)
        {
            EncodeWord(s, ids, work);
            return;
        }

        // Split with the replacement merged with what follows it: "▁a▁▁b" → "▁a", "▁", "▁b".
        var start = 0;
        for (var i = 1; i < s.Length; i++)
        {
            if (s[i] == ms.Replacement)
            {
                EncodeWord(s.AsSpan(start, i - start), ids, work);
                start = i;
            }
        }

        EncodeWord(s.AsSpan(start), ids, work);
    }

    private void EncodeWord(ReadOnlySpan<char> word, List<int> ids, Workspace work)
    {
        if (word.IsEmpty)
        {
            return;
        }

        if (_ignoreMerges && _vocab.TryGetValue(word, out var whole))
        {
            ids.Add(whole);
            return;
        }

        // At most three UTF-8 bytes per UTF-16 unit (a surrogate pair is four bytes for two units).
        var symbols = work.Symbols(word.Length * 3);
        var count = 0;
        var lastWasUnk = false;
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < word.Length;)
        {
            var width = char.IsHighSurrogate(word[i]) && i + 1 < word.Length && char.IsLowSurrogate(word[i + 1]) ? 2 : 1;
            var character = word.Slice(i, width);
            i += width;
            if (_vocab.TryGetValue(character, out var id))
            {
                symbols[count++].Id = id;
                lastWasUnk = false;
                continue;
            }

            // Byte fallback: every byte of the character must have its <0xXX> token (none do without byte_fallback).
            var n = Encoding.UTF8.GetBytes(character, utf8);
            var useBytes = n > 0;
            for (var b = 0; b < n && useBytes; b++)
            {
                useBytes = _byteIds[utf8[b]] >= 0;
            }

            if (useBytes)
            {
                for (var b = 0; b < n; b++)
                {
                    symbols[count++].Id = _byteIds[utf8[b]];
                }

                lastWasUnk = false;
                continue;
            }

            // tokenizers fails on an unknown character when there is no unk token; dropping it keeps generation going.
            if (_unkId < 0 || (_fuseUnk && lastWasUnk))
            {
                continue;
            }

            symbols[count++].Id = _unkId;
            lastWasUnk = true;
        }

        var queue = work.Queue;
        queue.Clear();
        for (var k = 0; k < count; k++)
        {
            symbols[k].Prev = k - 1;
            symbols[k].Next = k + 1 < count ? k + 1 : -1;
            symbols[k].Dead = false;
        }

        for (var k = 0; k + 1 < count; k++)
        {
            Push(symbols, k, queue);
        }

        while (queue.TryDequeue(out var pos, out var priority))
        {
            ref var left = ref symbols[pos];
            if (left.Dead || left.Next < 0)
            {
                continue;
            }

            ref var right = ref symbols[left.Next];

            // Stale entries (a side was merged since) no longer name the pair now at pos.
            if (!_merges.TryGetValue(Key(left.Id, right.Id), out var merge) || merge.Rank != (int)(priority >> 32))
            {
                continue;
            }

            left.Id = merge.Id;
            right.Dead = true;
            left.Next = right.Next;
            if (left.Next >= 0)
            {
                symbols[left.Next].Prev = pos;
            }

            if (left.Prev >= 0)
            {
                Push(symbols, left.Prev, queue);
            }

            Push(symbols, pos, queue);
        }

        for (var k = count > 0 ? 0 : -1; k >= 0; k = symbols[k].Next)
        {
            ids.Add(symbols[k].Id);
        }
    }

    private void Push(Symbol[] symbols, int pos, PriorityQueue<int, long> queue)
    {
        var next = symbols[pos].Next;
        if (next >= 0 && _merges.TryGetValue(Key(symbols[pos].Id, symbols[next].Id), out var merge))
        {
            queue.Enqueue(pos, ((long)merge.Rank << 32) | (uint)pos);
        }
    }

    private static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    private static int Lookup(Dictionary<string, int> vocab, string token, int rank, string path) =>
        vocab.TryGetValue(token, out var id)
            ? id
            : throw new LocalModelLoadException(path, $"model.merges[{rank}] needs '{token}', which is not in model.vocab.", null);

    /// <summary>model options of a BPE tokenizer.json.</summary>
    internal sealed record ModelOptions(string? UnkToken, bool FuseUnk, bool ByteFallback, bool IgnoreMerges);

    private readonly record struct Merge(int Rank, int Id);

    private struct Symbol
    {
        public int Id;
        public int Prev;
        public int Next;
        public bool Dead;
    }

    /// <summary>Buffers reused across the words of one Encode call.</summary>
    private sealed class Workspace
    {
        private Symbol[]? _symbols;

        public PriorityQueue<int, long> Queue { get; } = new();

        public Symbol[] Symbols(int capacity)
        {
            if (_symbols is null || _symbols.Length < capacity)
            {
                Return();
                _symbols = ArrayPool<Symbol>.Shared.Rent(Math.Max(capacity, 64));
            }

            return _symbols;
        }

        public void Return()
        {
            if (_symbols is not null)
            {
                ArrayPool<Symbol>.Shared.Return(_symbols);
                _symbols = null;
            }
        }
    }
}
