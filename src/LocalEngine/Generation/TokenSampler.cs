using System.Numerics.Tensors;

namespace Agents.LocalEngine.Generation;

/// <summary>Chooses the next token from logits: repetition penalty, then greedy or temperature/top-k/top-p sampling. Reuses its buffers.</summary>
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
        var max = TensorPrimitives.Max<float>(logits);

        // Unnormalised probabilities exp((logit - max) / T), vectorised; banned tokens (-inf) get 0.
        var probs = _probs.AsSpan(0, n);
        TensorPrimitives.Subtract(logits, max, probs);
        TensorPrimitives.Multiply(probs, 1f / _temperature, probs);
        TensorPrimitives.Exp(probs, probs);
        double sum = TensorPrimitives.Sum<float>(probs);

        if (_topK == 0 && _topP >= 1f)
        {
            return Draw(sum, n);
        }

        // Top-k and top-p need no sort: select in place (expected O(vocab)). keys hold -p (ascending = most likely first).
        var count = 0;
        for (var i = 0; i < n; i++)
        {
            if (_probs[i] > 0)
            {
                _keys[count] = -_probs[i];
                _order[count] = i;
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
    private int SelectMass(int lo, int hi, double targetMass, int targetCount)
    {
        while (hi - lo > 1)
        {
            var pivot = Median3(_keys[lo], _keys[lo + ((hi - lo) / 2)], _keys[hi - 1]);

            // Partition into [< pivot | == pivot | > pivot] on keys (= more likely | equal | less likely).
            int lt = lo, i = lo, gt = hi;
            while (i < gt)
            {
                if (_keys[i] < pivot)
                {
                    Swap(lt++, i++);
                }
                else if (_keys[i] > pivot)
                {
                    Swap(i, --gt);
                }
                else
                {
                    i++;
                }
            }

            double hiMass = 0;
            for (var j = lo; j < lt; j++)
            {
                hiMass -= _keys[j];
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

    private static float Median3(float a, float b, float c) =>
        a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);

    private void Swap(int a, int b)
    {
        (_keys[a], _keys[b]) = (_keys[b], _keys[a]);
        (_order[a], _order[b]) = (_order[b], _order[a]);
    }

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
