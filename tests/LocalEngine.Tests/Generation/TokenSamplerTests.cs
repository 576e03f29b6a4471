namespace Agents.LocalEngine.Tests.Generation;

public sealed class TokenSamplerTests
{
    // Probabilities at temperature 1: 0.5, 0.25, 0.125, 0.0625, 0.0625 (plus many near-zero tokens).
    private static float[] Logits()
    {
        var logits = new float[1000];
        Array.Fill(logits, -40f);
        float[] head = [MathF.Log(0.5f), MathF.Log(0.25f), MathF.Log(0.125f), MathF.Log(0.0625f), MathF.Log(0.0625f)];
        head.CopyTo(logits, 0);
        return logits;
    }

    private static int[] Histogram(TokenSampler sampler, int draws, int[]? banned = null)
    {
        var counts = new int[1000];
        var seen = new bool[1000];
        for (var i = 0; i < draws; i++)
        {
            counts[sampler.Next(Logits(), seen, banned ?? [])]++;
        }

        return counts;
    }

    [Fact]
    public void Plain_sampling_follows_the_softmax()
    {
        var counts = Histogram(new TokenSampler(new TokenSamplerParameters { VocabSize = 1000, Greedy = false, Temperature = 1f, TopK = 0, TopP = 1f, RepetitionPenalty = 1f, Seed = 1 }), 20000);
        Assert.InRange(counts[0] / 20000.0, 0.48, 0.52);
        Assert.InRange(counts[1] / 20000.0, 0.23, 0.27);
        Assert.InRange(counts[4] / 20000.0, 0.05, 0.075);
    }

    [Fact]
    public void Top_p_keeps_the_smallest_set_reaching_the_mass()
    {
        // 0.5 + 0.25 = 0.75 >= 0.7: only tokens 0 and 1, renormalised to 2/3 and 1/3.
        var counts = Histogram(new TokenSampler(new TokenSamplerParameters { VocabSize = 1000, Greedy = false, Temperature = 1f, TopK = 0, TopP = 0.7f, RepetitionPenalty = 1f, Seed = 2 }), 9000);
        Assert.Equal(9000, counts[0] + counts[1]);
        Assert.InRange(counts[0] / 9000.0, 0.64, 0.69);
    }

    [Fact]
    public void Top_k_then_top_p_uses_the_renormalised_top_k_mass()
    {
        // Top-3 masses 0.5, 0.25, 0.125 (sum 0.875); top-p 0.8 of that = 0.7 -> tokens 0 and 1.
        var counts = Histogram(new TokenSampler(new TokenSamplerParameters { VocabSize = 1000, Greedy = false, Temperature = 1f, TopK = 3, TopP = 0.8f, RepetitionPenalty = 1f, Seed = 3 }), 4000);
        Assert.Equal(4000, counts[0] + counts[1]);
        var onlyK = Histogram(new TokenSampler(new TokenSamplerParameters { VocabSize = 1000, Greedy = false, Temperature = 1f, TopK = 3, TopP = 1f, RepetitionPenalty = 1f, Seed = 3 }), 4000);
        Assert.Equal(4000, onlyK[0] + onlyK[1] + onlyK[2]);
        Assert.True(onlyK[2] > 0);
    }

    [Fact]
    public void Flat_distributions_fall_back_to_a_full_sort()
    {
        var sampler = new TokenSampler(new TokenSamplerParameters { VocabSize = 1000, Greedy = false, Temperature = 1f, TopK = 0, TopP = 0.5f, RepetitionPenalty = 1f, Seed = 4 });
        var flat = new float[1000];
        var counts = new HashSet<int>();
        for (var i = 0; i < 2000; i++)
        {
            counts.Add(sampler.Next(flat.ToArray(), new bool[1000], []));
        }

        Assert.InRange(counts.Count, 400, 501);
    }

    [Fact]
    public void Banned_tokens_and_repetition_penalty_apply()
    {
        var banned = Histogram(new TokenSampler(new TokenSamplerParameters { VocabSize = 1000, Greedy = false, Temperature = 1f, TopK = 0, TopP = 1f, RepetitionPenalty = 1f, Seed = 5 }), 2000, [0]);
        Assert.Equal(0, banned[0]);

        var penalised = new TokenSampler(new TokenSamplerParameters { VocabSize = 1000, Greedy = true, Temperature = 1f, TopK = 0, TopP = 1f, RepetitionPenalty = 10f, Seed = 5 });
        var seen = new bool[1000];
        seen[0] = true;
        var logits = new float[1000];
        logits[0] = 2f;
        logits[1] = 1f;
        Assert.Equal(1, penalised.Next(logits, seen, []));
    }

    [Fact]
    public void Lower_temperature_sharpens()
    {
        var cold = Histogram(new TokenSampler(new TokenSamplerParameters { VocabSize = 1000, Greedy = false, Temperature = 0.25f, TopK = 0, TopP = 1f, RepetitionPenalty = 1f, Seed = 6 }), 4000);
        Assert.True(cold[0] / 4000.0 > 0.9);
    }

    [Theory]
    [InlineData(1, 0, 0.9f)]
    [InlineData(2, 20, 0.8f)]
    [InlineData(3, 5, 1f)]
    [InlineData(4, 0, 0.3f)]
    public void Selected_tokens_always_lie_in_the_sorted_top_k_top_p_set(int seed, int topK, float topP)
    {
        var rng = new Random(seed);
        var logits = new float[300];
        for (var i = 0; i < logits.Length; i++)
        {
            // Rounded so that ties occur.
            logits[i] = MathF.Round((float)(rng.NextDouble() * 6), 1);
        }

        // Brute force: sort, cut to k, then the smallest prefix reaching top-p of the top-k mass (ties may go either way).
        var probs = logits.Select(l => Math.Exp(l - logits.Max())).ToArray();
        var sorted = Enumerable.Range(0, probs.Length).OrderByDescending(i => probs[i]).ToList();
        var k = topK > 0 ? topK : sorted.Count;
        var mass = sorted.Take(k).Sum(i => probs[i]);
        double cumulative = 0;
        var cutoff = 0.0;
        foreach (var i in sorted.Take(k))
        {
            cumulative += probs[i];
            cutoff = probs[i];
            if (cumulative >= topP * mass)
            {
                break;
            }
        }

        var allowed = sorted.Take(k).Where(i => probs[i] >= cutoff).ToHashSet();
        var sampler = new TokenSampler(new TokenSamplerParameters { VocabSize = 300, Greedy = false, Temperature = 1f, TopK = topK, TopP = topP, RepetitionPenalty = 1f, Seed = seed });
        var drawn = new HashSet<int>();
        for (var d = 0; d < 3000; d++)
        {
            drawn.Add(sampler.Next(logits.ToArray(), new bool[300], []));
        }

        Assert.Subset(allowed, drawn);
        Assert.True(drawn.Count >= Math.Min(allowed.Count, 3));
    }

    [Theory]
    [InlineData(0, 0.9f, 1003)]
    [InlineData(0, 0.5f, 1003)]
    [InlineData(0, 0.95f, 64)]
    [InlineData(0, 0.3f, 7)]
    [InlineData(20, 1f, 1003)]
    [InlineData(20, 0.8f, 1003)]
    [InlineData(3, 0.9f, 7)]
    [InlineData(256, 0.9f, 1003)]
    public void Fast_paths_and_the_selection_path_follow_the_exact_top_k_top_p_distribution(int topK, float topP, int vocab)
    {
        // A peaked distribution whose likeliest tokens sit in the last, partial chunk and vector (vocab not a multiple of 8 or 64).
        var rng = new Random(vocab);
        var logits = new float[vocab];
        for (var i = 0; i < vocab; i++)
        {
            logits[i] = (float)(rng.NextDouble() * 2) + (i >= vocab - 5 ? 4f : 0f);
        }

        var probs = logits.Select(l => Math.Exp(l - logits.Max())).ToArray();
        var sorted = Enumerable.Range(0, vocab).OrderByDescending(i => probs[i]).ThenBy(i => i).Take(topK > 0 ? topK : vocab).ToList();
        var total = sorted.Sum(i => probs[i]);
        var nucleus = new List<int>();
        double mass = 0;
        foreach (var i in sorted)
        {
            nucleus.Add(i);
            mass += probs[i];
            if (mass >= topP * total)
            {
                break;
            }
        }

        const int draws = 24000;
        foreach (var forceSelection in new[] { false, true })
        {
            var sampler = new TokenSampler(new TokenSamplerParameters { VocabSize = vocab, Greedy = false, Temperature = 1f, TopK = topK, TopP = topP, RepetitionPenalty = 1f, Seed = 11 }) { ForceSelection = forceSelection };
            var counts = new int[vocab];
            for (var d = 0; d < draws; d++)
            {
                counts[sampler.Next(logits.ToArray(), new bool[vocab], [])]++;
            }

            Assert.Equal(draws, nucleus.Sum(i => counts[i]));
            foreach (var i in nucleus.Take(5))
            {
                var expected = probs[i] / mass;
                var sd = Math.Sqrt(expected * (1 - expected) / draws);
                Assert.InRange(counts[i] / (double)draws, expected - (5 * sd) - 1e-3, expected + (5 * sd) + 1e-3);
            }
        }
    }

    [Fact]
    public void Top_k_by_heap_breaks_ties_by_token_id()
    {
        var sampler = new TokenSampler(new TokenSamplerParameters { VocabSize = 1000, Greedy = false, Temperature = 1f, TopK = 10, TopP = 1f, RepetitionPenalty = 1f, Seed = 13 });
        var logits = new float[1000];
        logits[700] = 1f;
        var drawn = new HashSet<int>();
        for (var i = 0; i < 4000; i++)
        {
            drawn.Add(sampler.Next(logits.ToArray(), new bool[1000], [2]));
        }

        // Token 700 is likeliest; the other nine are the lowest ids among the equal rest, banned token 2 excluded.
        Assert.Equal(new HashSet<int> { 700, 0, 1, 3, 4, 5, 6, 7, 8, 9 }, drawn);
    }

    [Fact]
    public void Top_p_by_rejection_breaks_ties_by_token_id_and_skips_banned_tokens()
    {
        var sampler = new TokenSampler(new TokenSamplerParameters { VocabSize = 1000, Greedy = false, Temperature = 1f, TopK = 0, TopP = 0.5f, RepetitionPenalty = 1f, Seed = 12 });
        var drawn = new HashSet<int>();
        for (var i = 0; i < 4000; i++)
        {
            // Token 3 is banned: the 500 kept tokens are then ids 0-2 and 4-500.
            drawn.Add(sampler.Next(new float[1000], new bool[1000], [3]));
        }

        Assert.DoesNotContain(3, drawn);
        Assert.All(drawn, t => Assert.InRange(t, 0, 500));
        Assert.True(drawn.Count > 450);
    }

    [Fact]
    public void The_same_seed_draws_the_same_tokens()
    {
        var a = new TokenSampler(new TokenSamplerParameters { VocabSize = 1003, Greedy = false, Temperature = 0.8f, TopK = 0, TopP = 0.9f, RepetitionPenalty = 1f, Seed = 99 });
        var b = new TokenSampler(new TokenSamplerParameters { VocabSize = 1003, Greedy = false, Temperature = 0.8f, TopK = 0, TopP = 0.9f, RepetitionPenalty = 1f, Seed = 99 });
        var rng = new Random(5);
        for (var i = 0; i < 200; i++)
        {
            var logits = Enumerable.Range(0, 1003).Select(_ => (float)rng.NextDouble() * 5).ToArray();
            Assert.Equal(a.Next(logits.ToArray(), new bool[1003], []), b.Next(logits, new bool[1003], []));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(512)]
    [InlineData(1003)]
    public void ArgMax_returns_the_first_largest_logit(int vocab)
    {
        var rng = new Random(vocab);
        for (var trial = 0; trial < 200; trial++)
        {
            // Few distinct values, so the largest often repeats; the first of them must win.
            var logits = Enumerable.Range(0, vocab).Select(_ => (float)rng.Next(-3, 4)).ToArray();
            var expected = 0;
            for (var i = 1; i < vocab; i++)
            {
                expected = logits[i] > logits[expected] ? i : expected;
            }

            Assert.Equal(expected, TokenSampler.ArgMax(logits));
        }

        // NaN logits are skipped wherever they are (none at the largest value's position).
        for (var trial = 0; trial < 50; trial++)
        {
            var logits = Enumerable.Range(0, vocab).Select(_ => (float)rng.NextDouble()).ToArray();
            var expected = vocab == 1 ? 0 : Array.IndexOf(logits, logits.Max());
            for (var i = 0; i < vocab; i++)
            {
                if (i != expected && rng.Next(4) == 0)
                {
                    logits[i] = float.NaN;
                }
            }

            Assert.Equal(expected, TokenSampler.ArgMax(logits));
        }
    }

    [Fact]
    public void The_vector_exponential_matches_MathF_Exp_on_non_positive_inputs()
    {
        var inputs = new List<float> { 0f, -1e-8f, -0.3465736f, -0.6931472f, -1f, -10f, -50f, -86.9f, -87f, -87.5f, -100f, float.NegativeInfinity, float.MinValue };
        var rng = new Random(3);
        for (var i = 0; i < 20000; i++)
        {
            inputs.Add(-(float)(rng.NextDouble() * 90));
        }

        for (var i = 0; i + 8 <= inputs.Count; i += 8)
        {
            var e = TokenSampler.ExpNonPositive(System.Runtime.Intrinsics.Vector256.Create(inputs.Skip(i).Take(8).ToArray()));
            for (var k = 0; k < 8; k++)
            {
                var x = inputs[i + k];
                var expected = x < -87f ? 0f : MathF.Exp(x);
                Assert.True(Math.Abs(e[k] - expected) <= 1e-6f * expected, $"exp({x}) = {e[k]}, expected {expected}");
            }
        }
    }
}
