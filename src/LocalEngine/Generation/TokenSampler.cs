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
            var best = 0;
            for (var i = 1; i < logits.Length; i++)
            {
                if (logits[i] > logits[best])
                {
                    best = i;
                }
            }

            return best;
        }

        var n = logits.Length;
        var max = float.NegativeInfinity;
        for (var i = 0; i < n; i++)
        {
            max = Math.Max(max, logits[i]);
        }

        // Unnormalised probabilities; tokens banned or at -inf get 0.
        double sum = 0;
        for (var i = 0; i < n; i++)
        {
            var p = float.IsNegativeInfinity(logits[i]) ? 0f : MathF.Exp((logits[i] - max) / _temperature);
            _probs[i] = p;
            sum += p;
        }

        if (_topK == 0 && _topP >= 1f)
        {
            return Draw(sum, n);
        }

        // Only the most likely tokens need ordering: sort the candidates with p >= 1e-4 * p_max (p_max = 1), and fall back
        // to sorting everything when they do not cover the top-k / top-p set.
        var count = Candidates(n, 1e-4f);
        if (!Covers(count, sum))
        {
            count = Candidates(n, 0f);
        }

        Array.Sort(_keys, _order, 0, count);
        var k = _topK > 0 ? Math.Min(_topK, count) : count;

        // Top-k first, then top-p over the renormalised top-k distribution (the transformers order).
        var kMass = sum;
        if (_topK > 0)
        {
            kMass = 0;
            for (var i = 0; i < k; i++)
            {
                kMass -= _keys[i];
            }
        }

        var target = _topP * kMass;
        double cumulative = 0;
        var keep = k;
        for (var i = 0; i < k; i++)
        {
            cumulative += -_keys[i];
            if (cumulative >= target)
            {
                keep = i + 1;
                break;
            }
        }

        double kept = 0;
        for (var i = 0; i < keep; i++)
        {
            kept += -_keys[i];
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

    private int Candidates(int n, float threshold)
    {
        var count = 0;
        for (var i = 0; i < n; i++)
        {
            if (_probs[i] >= threshold)
            {
                _keys[count] = -_probs[i];
                _order[count] = i;
                count++;
            }
        }

        return count;
    }

    private bool Covers(int count, double sum)
    {
        if (_topK > 0)
        {
            // The k most likely tokens are all candidates (or there are fewer than k tokens at all).
            return count >= _topK || count == _probs.Length;
        }

        double mass = 0;
        for (var i = 0; i < count; i++)
        {
            mass -= _keys[i];
        }

        return mass >= _topP * sum;
    }
}
