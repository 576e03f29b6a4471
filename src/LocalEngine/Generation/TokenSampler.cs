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
internal sealed class TokenSampler
{
    private readonly Random _random;
    private readonly float[] _keys;
    private readonly float[] _probs;
    private readonly int[] _order;
    private readonly float _temperature;
    private readonly int _topK;
    private readonly float _topP;
    private readonly bool _greedy;

    public TokenSampler(int vocab, bool greedy, float temperature, int topK, float topP, float repetitionPenalty, long? seed)
    {
        _greedy = greedy || temperature == 0;
        _temperature = temperature;
        _topK = topK;
        _topP = topP;
        RepetitionPenalty = repetitionPenalty;
        _random = seed is { } s ? new Random(unchecked((int)(s ^ (s >> 32)))) : new Random();
        _keys = new float[vocab];
        _probs = new float[vocab];
        _order = new int[vocab];
    }

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
            // SIMD arg-max; NaN logits are never produced by the models this engine loads.
            return TensorPrimitives.IndexOfMax<float>(logits);
        }

        var n = logits.Length;

        // Unnormalised probabilities exp((logit - max) / T), vectorised; banned tokens (-inf) get 0.
        var probs = _probs.AsSpan(0, n);
        Exponentiate(logits, 1f / _temperature, probs);

        if (_topK == 0 && _topP >= 1f)
        {
            return Draw(TensorPrimitives.Sum<float>(probs), n);
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
    /// Writes exp((logits[i] - max) * <paramref name="scale"/>) to <paramref name="probs"/>: the same element-wise operations
    /// (and results) as TensorPrimitives.Max, Subtract, Multiply and Exp, in one pass, compiled optimised on first use.
    /// TensorPrimitives' generic loops start at tier 0 and, called once per token, stayed there for whole benchmark runs,
    /// costing tens of microseconds per token (more than a batched decode step of a small model).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Exponentiate(ReadOnlySpan<float> logits, float scale, Span<float> probs)
    {
        var n = logits.Length;
        if (!Vector256.IsHardwareAccelerated || n < Vector256<float>.Count)
        {
            var m = TensorPrimitives.Max(logits);
            TensorPrimitives.Subtract(logits, m, probs);
            TensorPrimitives.Multiply(probs, scale, probs);
            TensorPrimitives.Exp(probs, probs);
            return;
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
        for (var i = 0; i < last; i += width)
        {
            Vector256.Exp((Vector256.LoadUnsafe(ref src, (nuint)i) - vmax) * vscale).StoreUnsafe(ref dst, (nuint)i);
        }

        // The last (possibly overlapping) vector: every element goes through the same vector exp.
        Vector256.Exp((Vector256.LoadUnsafe(ref src, (nuint)last) - vmax) * vscale).StoreUnsafe(ref dst, (nuint)last);
    }

    private static float Median3(float a, float b, float c) =>
        a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Draw(double sum, int n)
    {
        var r = _random.NextDouble() * sum;
        var last = 0;
        for (var i = 0; i < n; i++)
        {
            if (_probs[i] > 0)
            {
                last = i;
                r -= _probs[i];
                if (r <= 0)
                {
                    return i;
                }
            }
        }

        return last;
    }
}
