using System.Runtime.CompilerServices;

namespace Agents.LocalEngine.Constraints;

/// <summary>
/// The JSON automaton of one generated sequence, advanced one token at a time. <see cref="Mask"/> sets the logits of every
/// token that cannot continue the text (its bytes refused by the automaton) to negative infinity; end-of-sequence tokens
/// are allowed only where the text is complete. It also keeps the text finishable: a token is allowed only when the
/// shortest completion after it (in bytes, so in single-byte tokens) still fits the tokens left. When even the current
/// state cannot be finished in time (a budget smaller than the smallest valid value), every grammatical token is allowed
/// and the sequence ends cut off, with finish reason Length.
/// </summary>
/// <remarks>
/// The state is a small set of immutable stacks (anyOf and enums may match several ways at once). Tokens are tried along a
/// byte trie, and inside a free string every token of plain string content is allowed at once; only the few tokens with a
/// quote, backslash or control byte are walked.
/// </remarks>
internal sealed class JsonTokenConstraint
{
    /// <summary>At most this many alternative states are kept (identical alternatives of a degenerate anyOf stop growing here).</summary>
    private const int MaxStates = 32;

    private readonly ConstraintVocabulary _vocab;
    private readonly bool[] _allowed;
    private readonly List<JsonFrame>[] _buffers;
    private List<JsonFrame> _states;
    private int _budget;
    private bool _enforce;
    private int _allowedCount;

    public JsonTokenConstraint(ConstraintVocabulary vocabulary, JsonFrame start)
    {
        _vocab = vocabulary;
        _allowed = new bool[vocabulary.Size];
        _buffers = new List<JsonFrame>[vocabulary.LongestToken + 2];
        for (var i = 0; i < _buffers.Length; i++)
        {
            _buffers[i] = [];
        }

        _states = [start];
    }

    /// <summary>Gets a value indicating whether the text is complete and nothing more may be written.</summary>
    public bool IsFinished => _states.TrueForAll(s => s.IsDone);

    /// <summary>Gets a value indicating whether the text is inside a free string, where plain content is allowed wholesale.</summary>
    public bool InPlainString => _states.Count == 1 && _states[0] is StringFrame { IsPlain: true };

    /// <summary>Gets a value indicating whether the text may end now.</summary>
    public bool IsAccepting => _states.Exists(s => s.IsAccepting());

    /// <summary>Gets the fewest bytes that complete the text.</summary>
    public int Distance
    {
        get
        {
            var best = int.MaxValue;
            foreach (var s in _states)
            {
                best = Math.Min(best, s.Distance());
            }

            return best;
        }
    }

    /// <summary>Masks the logits of tokens that may not come next.</summary>
    /// <param name="logits">One row of logits (the model's vocabulary).</param>
    /// <param name="tokensLeft">How many tokens may still be generated, this one included.</param>
    /// <returns>False when no token is allowed (the text cannot be continued).</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Mask(Span<float> logits, int tokensLeft)
    {
        var allowed = _allowed;
        _budget = tokensLeft - 1;
        var current = Distance;
        // Feasible while one byte per token suffices; otherwise only grammar is enforced and the text may be cut off.
        _enforce = current <= tokensLeft;
        _allowedCount = 0;
        if (InPlainString)
        {
            // Plain string content leaves the state (and so the distance) unchanged.
            if (!_enforce || current <= _budget)
            {
                _vocab.PlainString.CopyTo(allowed, 0);
                _allowedCount = 1;
            }
            else
            {
                Array.Clear(allowed);
            }

            Visit(_vocab.NotPlain, 0, _states, 0);
        }
        else
        {
            Array.Clear(allowed);
            Visit(_vocab.All, 0, _states, 0);
        }

        if (IsAccepting)
        {
            foreach (var eos in _vocab.EndOfSequenceIds)
            {
                allowed[eos] = true;
                _allowedCount++;
            }
        }

        var n = Math.Min(logits.Length, allowed.Length);
        for (var i = 0; i < n; i++)
        {
            if (!allowed[i])
            {
                logits[i] = float.NegativeInfinity;
            }
        }

        for (var i = n; i < logits.Length; i++)
        {
            logits[i] = float.NegativeInfinity;
        }

        return _allowedCount > 0;
    }

    /// <summary>Advances the automaton over a chosen token (end-of-sequence tokens leave it as it is).</summary>
    /// <exception cref="InvalidOperationException">The token's bytes are refused (it was not allowed by the last mask).</exception>
    public void Accept(int token)
    {
        if (Array.IndexOf(_vocab.EndOfSequenceIds, token) >= 0)
        {
            return;
        }

        var states = _states;
        foreach (var b in _vocab.TokenBytes[token])
        {
            var next = new List<JsonFrame>(states.Count);
            foreach (var s in states)
            {
                s.Step(b, next);
            }

            if (next.Count > MaxStates)
            {
                next.RemoveRange(MaxStates, next.Count - MaxStates);
            }

            states = next;
            if (states.Count == 0)
            {
                throw new InvalidOperationException($"Token {token} does not continue the constrained JSON text.");
            }
        }

        _states = states;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Visit(TokenTrie trie, int node, List<JsonFrame> states, int depth)
    {
        var next = _buffers[depth];
        for (var child = trie.FirstChild[node]; child >= 0; child = trie.NextSibling[child])
        {
            var b = trie.Byte[child];
            next.Clear();
            foreach (var s in states)
            {
                s.Step(b, next);
                if (next.Count >= MaxStates)
                {
                    break;
                }
            }

            if (next.Count == 0)
            {
                continue;
            }

            var count = trie.TokenCount[child];
            if (count > 0 && (!_enforce || MinDistance(next) <= _budget))
            {
                var start = trie.TokenStart[child];
                for (var i = start; i < start + count; i++)
                {
                    _allowed[trie.Ids[i]] = true;
                }

                _allowedCount += count;
            }

            if (trie.FirstChild[child] >= 0)
            {
                Visit(trie, child, next, depth + 1);
            }
        }
    }

    private static int MinDistance(List<JsonFrame> states)
    {
        var best = int.MaxValue;
        foreach (var s in states)
        {
            best = Math.Min(best, s.Distance());
        }

        return best;
    }
}
