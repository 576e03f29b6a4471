using Microsoft.ML.OnnxRuntime;

namespace Agents.LocalEngine.Runtime;

/// <summary>
/// The KV cache of the running batch: rows of different requests and lengths in one set of tensors, so that one decode
/// step computes them all. A growing cache keeps every row right-aligned (a shorter row's unused positions come first,
/// zero-filled and masked out, as transformers pads a batch on the left); a shared buffer (past_present_share_buffer) keeps
/// every row at position 0 and GroupQueryAttention reads each row's own length from the attention mask.
/// Rows join after their own prefill (one copy of their cache), leave when they finish (their tensors move up in place),
/// and positions no row uses any more are cut off when rows leave.
/// </summary>
internal sealed class BatchKvCache : IDisposable
{
    private readonly DecoderSession _session;
    private readonly List<int> _lengths = [];
    private int[] _padding = new int[8];
    private KvCache? _cache;

    public BatchKvCache(DecoderSession session) => _session = session;

    /// <summary>Gets the number of rows.</summary>
    public int Rows => _lengths.Count;

    /// <summary>Gets the positions the tensors hold (the longest row's length).</summary>
    public int Length => _cache?.Length ?? 0;

    /// <summary>Gets the number of positions row <paramref name="row"/> holds.</summary>
    public int RowLength(int row) => _lengths[row];

    /// <summary>Adds every row of <paramref name="source"/> (each holding <c>source.Length</c> positions) after the current rows.</summary>
    public void Add(KvCache source)
    {
        var rows = new int[source.Batch];
        var lengths = new int[source.Batch];
        for (var r = 0; r < rows.Length; r++)
        {
            rows[r] = r;
            lengths[r] = source.Length;
        }

        Add(source, rows, lengths);
    }

    /// <summary>
    /// Adds rows <paramref name="sourceRows"/> of <paramref name="source"/> after the current rows, row
    /// <paramref name="sourceRows"/>[i] holding <paramref name="lengths"/>[i] positions (a growing cache's rows right-aligned, as a
    /// batched prefill of left-padded prompts leaves them; a shared buffer's rows from position 0).
    /// </summary>
    public void Add(KvCache source, ReadOnlySpan<int> sourceRows, ReadOnlySpan<int> lengths)
    {
        var longest = 0;
        foreach (var l in lengths)
        {
            longest = Math.Max(longest, l);
        }

        var rows = Rows + sourceRows.Length;
        var newLength = Math.Max(Length, longest);
        var target = source.IsShared
            ? _session.CreateCache(rows, Math.Max(newLength + 1, Math.Max(source.Capacity, _cache?.Capacity ?? 0)))
            : KvCache.Zeroed(_session.Layers, rows, _session.KvHeads, newLength, _session.HeadDim, _session.CacheType, _session.Memory);
        try
        {
            for (var b = 0; b < Rows; b++)
            {
                var own = _lengths[b];
                KvCache.CopyPositions(_cache!, b, Start(b, Length), target, b, Start(own, newLength, source.IsShared), own);
            }

            for (var r = 0; r < sourceRows.Length; r++)
            {
                var length = lengths[r];
                KvCache.CopyPositions(source, sourceRows[r], Start(length, source.Length, source.IsShared), target, Rows + r, Start(length, newLength, source.IsShared), length);
            }

            target.Advance(newLength);
        }
        catch
        {
            target.Dispose();
            throw;
        }

        _cache?.Dispose();
        _cache = target;
        foreach (var length in lengths)
        {
            _lengths.Add(length);
        }
    }

    /// <summary>Copies row <paramref name="row"/>'s positions into a new one-row cache (for the prefix cache).</summary>
    public KvCache CopyRow(int row)
    {
        var cache = _cache ?? throw new InvalidOperationException("The batch is empty.");
        var own = _lengths[row];
        var copy = cache.IsShared
            ? _session.CreateCache(1, own + 1, exact: true)
            : KvCache.Zeroed(_session.Layers, 1, _session.KvHeads, own, _session.HeadDim, _session.CacheType, _session.Memory);
        try
        {
            KvCache.CopyPositions(cache, row, Start(row, Length), copy, 0, 0, own);
            copy.Advance(own);
            return copy;
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    /// <summary>Keeps only the rows listed (ascending); the others leave the batch.</summary>
    public void Keep(ReadOnlySpan<int> rows)
    {
        if (rows.Length == Rows)
        {
            return;
        }

        if (rows.IsEmpty)
        {
            Clear();
            return;
        }

        var cache = _cache!;
        cache.KeepRows(rows);
        var kept = new int[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            kept[i] = _lengths[rows[i]];
        }

        _lengths.Clear();
        _lengths.AddRange(kept);
        var newLength = kept.Max();
        if (newLength == cache.Length)
        {
            return;
        }

        if (cache.IsShared)
        {
            cache.Advance(newLength);
            return;
        }

        // Positions that no remaining row uses would still be computed by every step: cut them off.
        var trimmed = KvCache.Zeroed(_session.Layers, kept.Length, _session.KvHeads, newLength, _session.HeadDim, _session.CacheType, _session.Memory);
        for (var b = 0; b < kept.Length; b++)
        {
            KvCache.CopyPositions(cache, b, cache.Length - kept[b], trimmed, b, newLength - kept[b], kept[b]);
        }

        cache.Dispose();
        _cache = trimmed;
    }

    /// <summary>Runs one decode step: token <paramref name="ids"/>[b] after row b's positions; logits to <paramref name="logits"/> ([rows, vocab]).</summary>
    public void Step(ReadOnlySpan<int> ids, RunOptions runOptions, Span<float> logits)
    {
        var cache = _cache ?? throw new InvalidOperationException("The batch is empty.");
        if (_padding.Length < Rows)
        {
            _padding = new int[Math.Max(Rows, _padding.Length * 2)];
        }

        for (var b = 0; b < Rows; b++)
        {
            _padding[b] = cache.Length - _lengths[b];
        }

        _session.Forward(ids, 1, cache, runOptions, logits, null, _padding.AsSpan(0, Rows));
        for (var b = 0; b < Rows; b++)
        {
            _lengths[b]++;
        }
    }

    /// <summary>Drops every row.</summary>
    public void Clear()
    {
        _cache?.Dispose();
        _cache = null;
        _lengths.Clear();
    }

    public void Dispose() => Clear();

    /// <summary>Where row <paramref name="row"/>'s first position is in tensors holding <paramref name="length"/> positions.</summary>
    private int Start(int row, int length) => Start(_lengths[row], length, _cache!.IsShared);

    private static int Start(int own, int length, bool shared) => shared ? 0 : length - own;
}
