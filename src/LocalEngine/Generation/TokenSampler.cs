using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Agents.LocalEngine.Generation;

/// <summary>
/// Chooses the next token from logits: repetition penalty, then greedy or temperature/top-k/top-p sampling. Reuses its buffers.
/// The per-token methods are compiled fully optimised on first use: they run once per generated token (n times per step
/// for n-way sampling), and at tier 0 the top-p selection costs several times the model's own step on small models.
/// </summary>
/// <remarks>
/// Top-p alone (the common setting) is sampled by rejection, which needs no sort or selection: a token is drawn from the
/// whole softmax and kept when the mass of the tokens ranked before it is below top-p of the total (ranked by probability,
/// ties by token id), otherwise it is drawn again. Kept draws follow exactly the renormalised nucleus distribution, and a draw
/// is kept with probability at least top-p, so this costs one exponentiation pass plus about 1/top-p cheap passes; it is
/// used for top-p &gt;= <see cref="RejectionMinTopP"/> and falls back to a quickselect after <see cref="MaxRejections"/>
/// misses. Top-k up to <see cref="HeapTopKMax"/> (with or without top-p) keeps the k likeliest tokens in a heap during one
/// scan that skips whole vectors below the heap's least element, then applies top-p to those k; larger k use the quickselect.
/// </remarks>
internal sealed class TokenSampler
{
    /// <summary>The smallest top-p sampled by rejection (each draw is kept with probability at least top-p).</summary>
    internal const float RejectionMinTopP = 0.2f;

    /// <summary>Draws rejected before the selection path is used instead (reached with probability at most (1 - top-p)^32).</summary>
    internal const int MaxRejections = 32;

    /// <summary>The largest top-k kept in a heap while scanning once (larger ones use the selection path).</summary>
    internal const int HeapTopKMax = 256;

    /// <summary>Probabilities are summed in chunks of this many tokens so that a draw scans chunk sums, then one chunk.</summary>
    private const int Chunk = 64;

    private readonly Random _random;
    private readonly float[] _keys;
    private readonly float[] _probs;
    private readonly float[] _chunkSums;
    private readonly int[] _order;
    private readonly float[] _heapP;
    private readonly int[] _heapI;
    private readonly float _temperature;
    private readonly int _topK;
    private readonly float _topP;
    private readonly bool _greedy;

    /// <summary>Creates a sampler over a vocabulary.</summary>
    /// <param name="parameters">The vocabulary size and sampling parameters.</param>
    public TokenSampler(TokenSamplerParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var vocab = parameters.VocabSize;
        var topK = parameters.TopK;
        _greedy = parameters.Greedy || parameters.Temperature == 0;
        _temperature = parameters.Temperature;
        _topK = topK;
        _topP = parameters.TopP;
        RepetitionPenalty = parameters.RepetitionPenalty;
        _random = parameters.Seed is { } s ? new Random(unchecked((int)(s ^ (s >> 32)))) : new Random();
        _keys = new float[vocab];
        _probs = new float[vocab];
        _chunkSums = new float[(vocab + Chunk - 1) / Chunk];
        _order = new int[vocab];
        var heap = topK is > 0 and <= HeapTopKMax ? Math.Min(topK, vocab) : 0;
        _heapP = new float[heap];
        _heapI = new int[heap];
    }

    /// <summary>Creates a sampler from positional arguments (kept for bench/LocalEngine.Benchmarks; new code uses <see cref="TokenSamplerParameters"/>).</summary>
    public TokenSampler(int vocab, bool greedy, float temperature, int topK, float topP, float repetitionPenalty, long? seed)
        : this(new TokenSamplerParameters { VocabSize = vocab, Greedy = greedy, Temperature = temperature, TopK = topK, TopP = topP, RepetitionPenalty = repetitionPenalty, Seed = seed })
    {
    }

    /// <summary>Gets or sets a value that makes top-p use the selection path even where rejection applies (benchmarks and tests compare the two).</summary>
    internal bool ForceSelection { get; set; }

    public float RepetitionPenalty { get; }

    /// <summary>Picks a token. <paramref name="logits"/> is modified. <paramref name="seen"/> marks tokens to penalise; <paramref name="banned"/> are excluded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Next(Span<float> logits, ReadOnlySpan<bool> seen, ReadOnlySpan<int> banned)
    {
        if (RepetitionPenalty != 1f)
        {
            for (var i = 0; i < logits.Length; i++)
            {
                if (seen[i])
                {
                    logits[i] = logits[i] > 0 ? logits[i] / RepetitionPenalty : logits[i] * RepetitionPenalty;
                }
            }
        }

        foreach (var b in banned)
        {
            if ((uint)b < (uint)logits.Length)
            {
                logits[b] = float.NegativeInfinity;
            }
        }

        if (_greedy)
        {
            return ArgMax(logits);
        }

        var n = logits.Length;

        // Unnormalised probabilities exp((logit - max) / T), vectorised; banned tokens (-inf) get 0.
        var probs = _probs.AsSpan(0, n);
        var total = Exponentiate(logits, 1f / _temperature, probs, _chunkSums);

        if (_topK == 0 && _topP >= 1f)
        {
            return Draw(total, n);
        }

        if (_topK == 0 && _topP >= RejectionMinTopP && !ForceSelection && total > 0)
        {
            var target = _topP * total;
            for (var attempt = 0; attempt < MaxRejections; attempt++)
            {
                var token = Draw(total, n);
                if (MassRankedBefore(probs, token) < target)
                {
                    return token;
                }
            }
        }

        if (_topK > 0 && _topK <= HeapTopKMax && !ForceSelection)
        {
            return SampleTopK(probs);
        }

        // Top-k and top-p need no sort: select in place (expected O(vocab)). keys hold -p (ascending = most likely first).
        var count = 0;
        var keys = _keys.AsSpan(0, n);
        var order = _order.AsSpan(0, n);
        for (var i = 0; i < probs.Length; i++)
        {
            var p = probs[i];
            if (p > 0)
            {
                keys[count] = -p;
                order[count] = i;
                count++;
            }
        }

        if (count == 0)
        {
            return 0;
        }

        var keep = count;
        if (_topK > 0 && _topK < count)
        {
            SelectMass(0, count, double.PositiveInfinity, _topK);
            keep = _topK;
        }

        // Top-p over the renormalised top-k distribution (the transformers order).
        if (_topP < 1f)
        {
            double mass = 0;
            for (var i = 0; i < keep; i++)
            {
                mass -= _keys[i];
            }

            keep = SelectMass(0, keep, _topP * mass, int.MaxValue);
        }

        double kept = 0;
        for (var i = 0; i < keep; i++)
        {
            kept -= _keys[i];
        }

        var r = _random.NextDouble() * kept;
        for (var i = 0; i < keep; i++)
        {
            r += _keys[i];
            if (r <= 0)
            {
                return _order[i];
            }
        }

        return _order[keep - 1];
    }

    /// <summary>
    /// Top-k (then top-p over the renormalised top-k mass, as transformers does): the k likeliest tokens (ties by token id)
    /// are kept in a min-heap while scanning once, sorted most likely first, cut to the smallest prefix reaching top-p, and
    /// drawn from.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int SampleTopK(ReadOnlySpan<float> probs)
    {
        var heapP = _heapP;
        var heapI = _heapI;
        var k = heapP.Length;
        var count = 0;
        var n = probs.Length;
        var i = 0;

        // Fill the heap with the first k possible tokens.
        for (; i < n && count < k; i++)
        {
            if (probs[i] > 0)
            {
                heapP[count] = probs[i];
                heapI[count] = i;
                SiftUp(heapP, heapI, count);
                count++;
            }
        }

        if (count == 0)
        {
            return 0;
        }

        // Later tokens have larger ids, so only a strictly larger probability can displace the heap's least element.
        if (count == k)
        {
            ref var src = ref MemoryMarshal.GetReference(probs);
            var width = Vector256<float>.Count;
            while (i < n)
            {
                if (Vector256.IsHardwareAccelerated && i + width <= n
                    && !Vector256.GreaterThanAny(Vector256.LoadUnsafe(ref src, (nuint)i), Vector256.Create(heapP[0])))
                {
                    i += width;
                    continue;
                }

                var end = Vector256.IsHardwareAccelerated ? Math.Min(n, i + width) : n;
                for (; i < end; i++)
                {
                    if (probs[i] > heapP[0])
                    {
                        heapP[0] = probs[i];
                        heapI[0] = i;
                        SiftDown(heapP, heapI, 0, k);
                    }
                }
            }
        }

        // Heap sort: popping the least element each time leaves the array most likely first.
        for (var size = count - 1; size > 0; size--)
        {
            (heapP[0], heapP[size]) = (heapP[size], heapP[0]);
            (heapI[0], heapI[size]) = (heapI[size], heapI[0]);
            SiftDown(heapP, heapI, 0, size);
        }

        double mass = 0;
        for (var j = 0; j < count; j++)
        {
            mass += heapP[j];
        }

        var keep = count;
        var kept = mass;
        if (_topP < 1f)
        {
            var target = _topP * mass;
            kept = 0;
            keep = 0;
            while (keep < count)
            {
                kept += heapP[keep++];
                if (kept >= target)
                {
                    break;
                }
            }
        }

        var r = _random.NextDouble() * kept;
        for (var j = 0; j < keep; j++)
        {
            r -= heapP[j];
            if (r < 0)
            {
                return heapI[j];
            }
        }

        return heapI[keep - 1];
    }

    // Heap order: the root is the least likely; among equal probabilities the larger id counts as less likely.
    private static bool Worse(float p, int i, float q, int j) => p < q || (p == q && i > j);

    private static void SiftUp(float[] p, int[] ids, int at)
    {
        while (at > 0)
        {
            var parent = (at - 1) / 2;
            if (!Worse(p[at], ids[at], p[parent], ids[parent]))
            {
                return;
            }

            (p[at], p[parent]) = (p[parent], p[at]);
            (ids[at], ids[parent]) = (ids[parent], ids[at]);
            at = parent;
        }
    }

    private static void SiftDown(float[] p, int[] ids, int at, int size)
    {
        while (true)
        {
            var worst = at;
            var left = (2 * at) + 1;
            var right = left + 1;
            if (left < size && Worse(p[left], ids[left], p[worst], ids[worst]))
            {
                worst = left;
            }

            if (right < size && Worse(p[right], ids[right], p[worst], ids[worst]))
            {
                worst = right;
            }

            if (worst == at)
            {
                return;
            }

            (p[at], p[worst]) = (p[worst], p[at]);
            (ids[at], ids[worst]) = (ids[worst], ids[at]);
            at = worst;
        }
    }

    /// <summary>
    /// Rearranges [lo, hi) so that its first m elements are the m most likely, where m is the smallest count whose mass
    /// reaches <paramref name="targetMass"/> or equals <paramref name="targetCount"/>, whichever comes first; returns lo + m.
    /// Three-way quickselect with a deterministic pivot, so sampling stays reproducible for a seed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int SelectMass(int lo, int hi, double targetMass, int targetCount)
    {
        var keys = _keys;
        var order = _order;
        while (hi - lo > 1)
        {
            var pivot = Median3(keys[lo], keys[lo + ((hi - lo) / 2)], keys[hi - 1]);

            // Partition into [< pivot | == pivot | > pivot] on keys (= more likely | equal | less likely). The mass of the
            // first part is summed as its elements land in it, i.e. in index order, exactly as a second pass would.
            int lt = lo, i = lo, gt = hi;
            double hiMass = 0;
            while (i < gt)
            {
                var key = keys[i];
                if (key < pivot)
                {
                    hiMass -= key;
                    if (lt != i)
                    {
                        keys[i] = keys[lt];
                        keys[lt] = key;
                        (order[lt], order[i]) = (order[i], order[lt]);
                    }

                    lt++;
                    i++;
                }
                else if (key > pivot)
                {
                    gt--;
                    keys[i] = keys[gt];
                    keys[gt] = key;
                    (order[gt], order[i]) = (order[i], order[gt]);
                }
                else
                {
                    i++;
                }
            }

            var hiCount = lt - lo;
            if (hiMass >= targetMass || hiCount >= targetCount)
            {
                hi = lt;
                continue;
            }

            var eqCount = gt - lt;
            var eqValue = -(double)pivot;
            var neededByMass = eqValue > 0 ? (int)Math.Ceiling((targetMass - hiMass) / eqValue) : eqCount;
            var needed = Math.Min(Math.Max(neededByMass, 1), targetCount - hiCount);
            if (needed <= eqCount)
            {
                return lt + needed;
            }

            targetMass -= hiMass + (eqCount * eqValue);
            targetCount -= hiCount + eqCount;
            lo = gt;
        }

        return hi;
    }

    /// <summary>
    /// Writes exp((logits[i] - max) * <paramref name="scale"/>) to <paramref name="probs"/> in one pass, compiled optimised on
    /// first use, the sum of every <see cref="Chunk"/> tokens to <paramref name="chunkSums"/>, and returns the total.
    /// TensorPrimitives' generic loops and Vector256.Exp are ordinary methods that start at tier 0 and, called once per token,
    /// stayed there for whole benchmark runs (the runtime promotes them only after a quiet period), costing several
    /// microseconds per token; the exponential is therefore written out here (<see cref="ExpNonPositive"/>) and inlined.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Exponentiate(ReadOnlySpan<float> logits, float scale, Span<float> probs, Span<float> chunkSums)
    {
        var n = logits.Length;
        double total = 0;
        if (!Vector256.IsHardwareAccelerated || n < Vector256<float>.Count)
        {
            var m = TensorPrimitives.Max(logits);
            TensorPrimitives.Subtract(logits, m, probs);
            TensorPrimitives.Multiply(probs, scale, probs);
            TensorPrimitives.Exp(probs, probs);
            for (var c = 0; c * Chunk < n; c++)
            {
                var sum = TensorPrimitives.Sum<float>(probs.Slice(c * Chunk, Math.Min(Chunk, n - (c * Chunk))));
                chunkSums[c] = sum;
                total += sum;
            }

            return total;
        }

        ref var src = ref MemoryMarshal.GetReference(logits);
        ref var dst = ref MemoryMarshal.GetReference(probs);
        var width = Vector256<float>.Count;
        var last = n - width;
        var maxes = Vector256.LoadUnsafe(ref src);
        for (var i = width; i <= last; i += width)
        {
            maxes = Vector256.Max(maxes, Vector256.LoadUnsafe(ref src, (nuint)i));
        }

        maxes = Vector256.Max(maxes, Vector256.LoadUnsafe(ref src, (nuint)last));
        var max = float.NegativeInfinity;
        for (var k = 0; k < width; k++)
        {
            max = Math.Max(max, maxes[k]);
        }

        var vmax = Vector256.Create(max);
        var vscale = Vector256.Create(scale);
        var acc = Vector256<float>.Zero;
        var full = n - (n % width);
        for (var i = 0; i < full; i += width)
        {
            var e = ExpNonPositive((Vector256.LoadUnsafe(ref src, (nuint)i) - vmax) * vscale);
            e.StoreUnsafe(ref dst, (nuint)i);
            acc += e;
            if ((i + width) % Chunk == 0)
            {
                var sum = Vector256.Sum(acc);
                chunkSums[i / Chunk] = sum;
                total += sum;
                acc = Vector256<float>.Zero;
            }
        }

        float tail = 0;
        if (full < n)
        {
            // The last (overlapping) vector goes through the same vector exp; only its last n - full elements are new.
            var e = ExpNonPositive((Vector256.LoadUnsafe(ref src, (nuint)last) - vmax) * vscale);
            for (var k = full - last; k < width; k++)
            {
                probs[last + k] = e[k];
                tail += e[k];
            }
        }

        if (n % Chunk != 0)
        {
            var sum = Vector256.Sum(acc) + tail;
            chunkSums[(n - 1) / Chunk] = sum;
            total += sum;
        }

        return total;
    }

    /// <summary>
    /// exp(x) for x &lt;= 0 (logit minus the maximum, scaled), eight lanes at a time: x = n ln 2 + r with |r| &lt;= ln 2 / 2,
    /// e^r by its degree-6 Taylor polynomial (relative error below 2e-7 there), times 2^n built in the exponent bits.
    /// Inputs below -87 (including -inf for banned tokens) give exactly 0, like e^x underflowing a float's normal range.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> ExpNonPositive(Vector256<float> x)
    {
        var underflow = Vector256.LessThan(x, Vector256.Create(-87f));
        x = Vector256.Max(x, Vector256.Create(-87f));
        var n = Vector256.Round(x * Vector256.Create(1.44269504f));
        var r = x - (n * Vector256.Create(0.693145752f)) - (n * Vector256.Create(1.42860677e-6f));
        var p = Vector256.Create(1f / 720);
        p = (p * r) + Vector256.Create(1f / 120);
        p = (p * r) + Vector256.Create(1f / 24);
        p = (p * r) + Vector256.Create(1f / 6);
        p = (p * r) + Vector256.Create(0.5f);
        p = (p * r) + Vector256<float>.One;
        p = (p * r) + Vector256<float>.One;
        var scale = (Vector256.ConvertToInt32(n) + Vector256.Create(127)) << 23;
        return Vector256.AndNot(p * scale.AsSingle(), underflow.AsSingle());
    }

    /// <summary>
    /// The index of the first largest logit (NaN logits are skipped; the models this engine loads do not produce them).
    /// Written out rather than TensorPrimitives.IndexOfMax, whose generic code stayed at tier 0 when called once per token
    /// (about 1.5 µs at vocabulary 512, a few percent of a tiny model's decode step).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int ArgMax(ReadOnlySpan<float> logits)
    {
        var n = logits.Length;
        var width = Vector256<float>.Count;
        if (Vector256.IsHardwareAccelerated && n >= width)
        {
            ref var src = ref MemoryMarshal.GetReference(logits);
            var last = n - width;
            // NaN lanes count as -inf (v == v is false only for NaN), whatever Max does with NaN.
            var minusInf = Vector256.Create(float.NegativeInfinity);
            var maxes = minusInf;
            for (var i = 0; i < last; i += width)
            {
                var v = Vector256.LoadUnsafe(ref src, (nuint)i);
                maxes = Vector256.Max(maxes, Vector256.ConditionalSelect(Vector256.Equals(v, v), v, minusInf));
            }

            var lastV = Vector256.LoadUnsafe(ref src, (nuint)last);
            maxes = Vector256.Max(maxes, Vector256.ConditionalSelect(Vector256.Equals(lastV, lastV), lastV, minusInf));
            var max = float.NegativeInfinity;
            for (var k = 0; k < width; k++)
            {
                max = maxes[k] > max ? maxes[k] : max;
            }

            var target = Vector256.Create(max);
            for (var i = 0; i <= last; i += width)
            {
                var bits = Vector256.Equals(Vector256.LoadUnsafe(ref src, (nuint)i), target).ExtractMostSignificantBits();
                if (bits != 0)
                {
                    return i + BitOperations.TrailingZeroCount(bits);
                }
            }

            var tail = Vector256.Equals(Vector256.LoadUnsafe(ref src, (nuint)last), target).ExtractMostSignificantBits();
            if (tail != 0)
            {
                return last + BitOperations.TrailingZeroCount(tail);
            }
        }

        // Short vocabularies, no SIMD, or a NaN that defeated the vector maximum.
        var best = 0;
        for (var i = 1; i < n; i++)
        {
            if (logits[i] > logits[best] || float.IsNaN(logits[best]))
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>
    /// The probability mass ranked before <paramref name="token"/>: every more likely token, and equally likely tokens with a
    /// smaller id (ties are ranked by id, so the nucleus is the same set for every draw).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double MassRankedBefore(ReadOnlySpan<float> probs, int token)
    {
        var p = probs[token];
        var n = probs.Length;
        var i = 0;
        double above = 0;
        var tiesBefore = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var src = ref MemoryMarshal.GetReference(probs);
            var width = Vector256<float>.Count;
            var vp = Vector256.Create(p);
            var acc = Vector256<float>.Zero;
            for (; i + width <= token; i += width)
            {
                var v = Vector256.LoadUnsafe(ref src, (nuint)i);
                acc += v & Vector256.GreaterThan(v, vp);
                tiesBefore += BitOperations.PopCount(Vector256.Equals(v, vp).ExtractMostSignificantBits());
            }

            for (; i < token; i++)
            {
                var q = probs[i];
                above += q > p ? q : 0;
                tiesBefore += q == p ? 1 : 0;
            }

            for (; i + width <= n; i += width)
            {
                var v = Vector256.LoadUnsafe(ref src, (nuint)i);
                acc += v & Vector256.GreaterThan(v, vp);
            }

            above += Vector256.Sum(acc);
        }
        else
        {
            for (; i < token; i++)
            {
                var q = probs[i];
                above += q > p ? q : 0;
                tiesBefore += q == p ? 1 : 0;
            }
        }

        for (; i < n; i++)
        {
            var q = probs[i];
            above += q > p ? q : 0;
        }

        return above + ((double)tiesBefore * p);
    }

    private static float Median3(float a, float b, float c) =>
        a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);

    /// <summary>Draws a token in proportion to <see cref="_probs"/>: finds the chunk by its sum, then the token inside it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Draw(double total, int n)
    {
        var r = _random.NextDouble() * total;
        var chunks = (n + Chunk - 1) / Chunk;
        var c = 0;
        for (; c < chunks - 1; c++)
        {
            var sum = _chunkSums[c];
            if (r < sum)
            {
                break;
            }

            r -= sum;
        }

        var start = c * Chunk;
        var end = Math.Min(n, start + Chunk);
        var last = -1;
        for (var i = start; i < end; i++)
        {
            var p = _probs[i];
            if (p > 0)
            {
                last = i;
                r -= p;
                if (r < 0)
                {
                    return i;
                }
            }
        }

        // Rounding ran past the chunk's end: its last possible token, else the nearest possible one before it.
        if (last >= 0)
        {
            return last;
        }

        for (var i = start - 1; i >= 0; i--)
        {
            if (_probs[i] > 0)
            {
                return i;
            }
        }

        return 0;
    }
}
