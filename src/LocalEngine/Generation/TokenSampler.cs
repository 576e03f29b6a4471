namespace Agents.LocalEngine.Generation;

/// <summary>Chooses the next token from logits: repetition penalty, then greedy or temperature/top-k/top-p sampling. Reuses its buffers.</summary>
internal sealed class TokenSampler
{
    private readonly Random _random;
    private readonly float[] _keys;
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

        // Sort descending by logit (keys negated), then keep top-k and the top-p nucleus.
        var n = logits.Length;
        for (var i = 0; i < n; i++)
        {
            _keys[i] = -logits[i];
            _order[i] = i;
        }

        Array.Sort(_keys, _order, 0, n);
        var k = _topK > 0 ? Math.Min(_topK, n) : n;
        var max = -_keys[0];
        double sum = 0;
        for (var i = 0; i < k; i++)
        {
            var p = double.IsNegativeInfinity(-_keys[i]) ? 0 : Math.Exp((-_keys[i] - max) / _temperature);
            _keys[i] = (float)p;
            sum += p;
        }

        double cumulative = 0;
        var keep = k;
        for (var i = 0; i < k; i++)
        {
            cumulative += _keys[i] / sum;
            if (cumulative >= _topP)
            {
                keep = i + 1;
                break;
            }
        }

        double kept = 0;
        for (var i = 0; i < keep; i++)
        {
            kept += _keys[i];
        }

        var r = _random.NextDouble() * kept;
        for (var i = 0; i < keep; i++)
        {
            r -= _keys[i];
            if (r <= 0)
            {
                return _order[i];
            }
        }

        return _order[keep - 1];
    }
}
