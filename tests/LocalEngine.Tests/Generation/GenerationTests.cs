using Agents.LocalEngine.Tests.Runtime;

namespace Agents.LocalEngine.Tests.Generation;

[Collection(ModelCollection.Name)]
public sealed class GenerationTests(ModelFixture models)
{
    private static readonly int[] Prompt = [10, 20, 30, 40, 50];

    internal static List<int> ReferenceGreedy(TinyLlamaWeights w, IReadOnlyList<int> prompt, int count, ISet<int> eos)
    {
        var seq = prompt.ToList();
        var output = new List<int>();
        for (var i = 0; i < count; i++)
        {
            var next = DecoderSessionTests.ArgMax(ReferenceLlama.Forward(w, seq)[^1]);
            output.Add(next);
            if (eos.Contains(next))
            {
                break;
            }

            seq.Add(next);
        }

        return output;
    }

    [Theory]
    [InlineData("qwen")]
    [InlineData("shared")]
    public async Task Greedy_generation_matches_the_reference_model_token_for_token(string layout)
    {
        var model = layout == "qwen" ? models.Qwen : models.Shared;
        using var engine = new LocalOnnxEngine(model.Directory);
        var result = await engine.GenerateAsync(Prompt, new LocalGenerationSettings { MaxTokens = 12, DoSample = false });
        var expected = ReferenceGreedy(model.Weights, Prompt, 12, engine.EndOfSequenceTokenIds.ToHashSet());
        Assert.Equal(expected, result.TokenIds);
        Assert.Equal(Prompt.Length, result.PromptTokens);
        Assert.Equal(engine.Detokenize(result.TokenIds), result.Text);
        Assert.Equal(result.TokenIds.Count - 1, result.DecodeSteps);
    }

    [Fact]
    public async Task Max_tokens_ends_with_length()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        var result = await engine.GenerateAsync(Prompt, new LocalGenerationSettings { MaxTokens = 3, MinTokens = 3 });
        Assert.Equal(3, result.TokenIds.Count);
        Assert.Equal(LocalFinishReason.Length, result.FinishReason);
    }

    [Fact]
    public async Task Min_tokens_suppresses_end_of_sequence()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        var eos = engine.EndOfSequenceTokenIds.ToHashSet();

        // Find a prompt whose greedy continuation ends early on EOS, then require more tokens.
        var sampled = await engine.GenerateManyAsync(Prompt, 8, new LocalGenerationSettings { MaxTokens = 40, MinTokens = 30, DoSample = true, Temperature = 3f, Seed = 5 });
        Assert.All(sampled, r => Assert.DoesNotContain(r.TokenIds.Take(30), eos.Contains));
        Assert.All(sampled, r => Assert.True(r.TokenIds.Count >= 30));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Finished_rows_leave_the_batch_without_changing_any_row(bool sharedBuffer)
    {
        using var engine = new LocalOnnxEngine(sharedBuffer ? models.Shared.Directory : models.Qwen.Directory);
        LocalGenerationSettings S(string? stop)
        {
            // TopK = 0 overrides the genai folder's search defaults (top_k 1, i.e. greedy).
            var s = new LocalGenerationSettings { MaxTokens = 24, MinTokens = 24, Temperature = 2f, TopK = 0, Seed = 21 };
            if (stop is not null)
            {
                s.StopSequences.Add(stop);
            }

            return s;
        }

        // A character that some rows produce early, some late and some never, so rows finish on different steps.
        var free = await engine.GenerateManyAsync(Prompt, 6, S(null));
        var stop = free.SelectMany(r => Enumerable.Range(1, 3).SelectMany(len => Enumerable.Range(0, Math.Max(0, r.Text.Length - len + 1)).Select(i => r.Text.Substring(i, len)))).Distinct()
            .OrderByDescending(c => free.Select(r => r.Text.IndexOf(c, StringComparison.Ordinal)).Distinct().Count())
            .First(c => free.Count(r => r.Text.Contains(c, StringComparison.Ordinal)) is > 1 and < 6);

        engine.CompactFinishedRows = false;
        var before = engine.RowStepsComputed;
        var full = await engine.GenerateManyAsync(Prompt, 6, S(stop));
        var fullRowSteps = engine.RowStepsComputed - before;

        engine.CompactFinishedRows = true;
        before = engine.RowStepsComputed;
        var compact = await engine.GenerateManyAsync(Prompt, 6, S(stop));
        var compactRowSteps = engine.RowStepsComputed - before;

        Assert.Contains(full, r => r.FinishReason == LocalFinishReason.Stop);
        Assert.Contains(full, r => r.FinishReason == LocalFinishReason.Length);
        Assert.True(full.Select(r => r.TokenIds.Count).Distinct().Count() > 2);
        for (var r = 0; r < 6; r++)
        {
            Assert.Equal(full[r].TokenIds, compact[r].TokenIds);
            Assert.Equal(full[r].Text, compact[r].Text);
            Assert.Equal(full[r].FinishReason, compact[r].FinishReason);
        }

        // Without compaction every step computes 6 rows; with it, only the rows still generating.
        Assert.Equal(6 * full[0].DecodeSteps, fullRowSteps);
        // (a row's first token comes from the prefill, each later one from a step that included the row).
        Assert.Equal(compact.Sum(r => r.TokenIds.Count - 1), compactRowSteps);
        Assert.True(compactRowSteps < fullRowSteps);

        // The engine is still usable for plain requests afterwards.
        Assert.NotEmpty((await engine.GenerateAsync(Prompt, new LocalGenerationSettings { MaxTokens = 4, DoSample = false })).TokenIds);
    }

    [Fact]
    public async Task Sampling_with_a_seed_is_reproducible_and_differs_from_greedy()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        LocalGenerationSettings S(long seed) => new() { MaxTokens = 16, MinTokens = 16, Temperature = 2f, TopK = 50, TopP = 0.95f, RepetitionPenalty = 1.1f, Seed = seed };
        var a = await engine.GenerateAsync(Prompt, S(1));
        var b = await engine.GenerateAsync(Prompt, S(1));
        var c = await engine.GenerateAsync(Prompt, S(2));
        Assert.Equal(a.TokenIds, b.TokenIds);
        Assert.NotEqual(a.TokenIds, c.TokenIds);
    }

    [Fact]
    public async Task Top_k_of_one_is_greedy()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        var greedy = await engine.GenerateAsync(Prompt, new LocalGenerationSettings { MaxTokens = 10, DoSample = false });
        var topK = await engine.GenerateAsync(Prompt, new LocalGenerationSettings { MaxTokens = 10, DoSample = true, Temperature = 5f, TopK = 1, Seed = 3 });
        Assert.Equal(greedy.TokenIds, topK.TokenIds);
    }

    [Fact]
    public async Task Stop_sequence_ends_generation_and_is_left_out()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        var free = await engine.GenerateAsync(Prompt, new LocalGenerationSettings { MaxTokens = 30, MinTokens = 30, DoSample = false });
        Assert.True(free.Text.Length > 6);
        var stop = free.Text.Substring(3, 2);
        var stopped = await engine.GenerateAsync(Prompt, new LocalGenerationSettings { MaxTokens = 30, MinTokens = 30, DoSample = false, StopSequences = { stop } });
        Assert.Equal(LocalFinishReason.Stop, stopped.FinishReason);
        Assert.Equal(free.Text[..free.Text.IndexOf(stop, StringComparison.Ordinal)], stopped.Text);
        Assert.True(stopped.TokenIds.Count < free.TokenIds.Count);
    }

    [Fact]
    public async Task A_late_stop_sequence_is_found_among_long_and_overlapping_ones()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        var free = await engine.GenerateAsync(Prompt, new LocalGenerationSettings { MaxTokens = 120, MinTokens = 120, DoSample = false });
        Assert.True(free.Text.Length > 60);
        var late = free.Text.Substring(free.Text.Length - 12, 4);
        var first = free.Text.IndexOf(late, StringComparison.Ordinal);

        // A stop longer than the whole text (searched through a pooled window) and one that starts one character later
        // than `late` and so ends later: the earliest start wins.
        var settings = new LocalGenerationSettings { MaxTokens = 120, MinTokens = 120, DoSample = false };
        settings.StopSequences.Add(new string('\u2603', 300));
        settings.StopSequences.Add(free.Text.Substring(first + 1, 5));
        settings.StopSequences.Add(late);
        var stopped = await engine.GenerateAsync(Prompt, settings);
        Assert.Equal(LocalFinishReason.Stop, stopped.FinishReason);
        Assert.Equal(free.Text[..first], stopped.Text);
    }

    [Fact]
    public async Task Streaming_yields_the_same_tokens_and_text_and_holds_back_a_pending_stop_sequence()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        var settings = new LocalGenerationSettings { MaxTokens = 20, MinTokens = 20, DoSample = false };
        var whole = await engine.GenerateAsync(Prompt, settings);
        var stop = whole.Text.Substring(whole.Text.Length / 2, 3);
        settings.StopSequences.Add(stop);
        var expected = await engine.GenerateAsync(Prompt, settings);

        var tokens = new List<int>();
        var text = string.Empty;
        LocalGenerationResult? final = null;
        await foreach (var update in engine.GenerateStreamingAsync(Prompt, settings))
        {
            if (update.Result is not null)
            {
                final = update.Result;
                continue;
            }

            tokens.Add(update.TokenId);
            text += update.Text;
            Assert.DoesNotContain(stop, text, StringComparison.Ordinal);
        }

        Assert.NotNull(final);
        Assert.Equal(expected.TokenIds, tokens);
        Assert.Equal(expected.Text, text);
        Assert.Equal(LocalFinishReason.Stop, final.FinishReason);
    }

    [Fact]
    public async Task Context_overflow_is_a_clear_error_and_generation_stops_at_the_context_length()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        var tooLong = Enumerable.Repeat(7, engine.ContextLength).ToArray();
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => engine.GenerateAsync(tooLong));
        Assert.Contains("context length is 256", ex.Message, StringComparison.Ordinal);
        Assert.Contains("config.json", ex.Message, StringComparison.Ordinal);

        var nearlyFull = Enumerable.Repeat(7, engine.ContextLength - 3).ToArray();
        var result = await engine.GenerateAsync(nearlyFull, new LocalGenerationSettings { MaxTokens = 50, MinTokens = 3 });
        Assert.Equal(LocalFinishReason.ContextFull, result.FinishReason);
        Assert.Equal(3, result.TokenIds.Count);
    }

    [Theory]
    [InlineData("Temperature")]
    [InlineData("TopP0")]
    [InlineData("TopP2")]
    [InlineData("TopK")]
    [InlineData("MaxTokens")]
    [InlineData("MinTokens")]
    [InlineData("RepetitionPenalty")]
    [InlineData("StopSequences")]
    public async Task Invalid_settings_are_rejected_naming_the_option(string which)
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        var s = new LocalGenerationSettings();
        var name = which;
        switch (which)
        {
            case "Temperature": s.Temperature = -0.1f; break;
            case "TopP0": s.TopP = 0f; name = "TopP"; break;
            case "TopP2": s.TopP = 1.5f; name = "TopP"; break;
            case "TopK": s.TopK = -1; break;
            case "MaxTokens": s.MaxTokens = 0; break;
            case "MinTokens": s.MinTokens = 500; break;
            case "RepetitionPenalty": s.RepetitionPenalty = 0f; break;
            default: s.StopSequences.Add(string.Empty); break;
        }

        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => engine.GenerateAsync(Prompt, s));
        Assert.Equal(name, ex.ParamName);
        Assert.Contains($"LocalGenerationSettings.{name}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_prompts_are_rejected()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        await Assert.ThrowsAsync<ArgumentException>(() => engine.GenerateAsync([]));
        await Assert.ThrowsAsync<ArgumentException>(() => engine.GenerateAsync([1, 100000]));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => engine.GenerateManyAsync(Prompt, 0));
    }

    [Fact]
    public async Task Model_search_defaults_apply_unless_overridden()
    {
        // The genai test config says top_k = 1: sampling at any temperature is then greedy.
        using var engine = new LocalOnnxEngine(models.Shared.Directory);
        var greedy = await engine.GenerateAsync(Prompt, new LocalGenerationSettings { MaxTokens = 8, MinTokens = 8, DoSample = false });
        var defaults = await engine.GenerateAsync(Prompt, new LocalGenerationSettings { MaxTokens = 8, MinTokens = 8, Temperature = 3f, Seed = 1 });
        var overridden = await engine.GenerateAsync(Prompt, new LocalGenerationSettings { MaxTokens = 8, MinTokens = 8, Temperature = 3f, TopK = 0, Seed = 1 });
        Assert.Equal(greedy.TokenIds, defaults.TokenIds);
        Assert.NotEqual(greedy.TokenIds, overridden.TokenIds);
    }
}
