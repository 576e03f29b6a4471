using Microsoft.ML.OnnxRuntime;

namespace Agents.LocalEngine.Tests.Runtime;

[Collection(ModelCollection.Name)]
public sealed class DecoderSessionTests(ModelFixture models)
{
    private static readonly int[] Prompt = [5, 77, 300, 12, 499, 3, 250];

    public static TheoryData<string> Layouts => new() { "qwen", "external", "genai", "shared" };

    private TestModel Pick(string name) => name switch
    {
        "qwen" => models.Qwen,
        "external" => models.External,
        "shared" => models.Shared,
        _ => models.GenAi,
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Prefill_and_cached_decode_logits_match_the_reference_forward_pass(string layout)
    {
        var model = Pick(layout);
        using var engine = new LocalOnnxEngine(model.Directory);
        var session = engine.Session;
        var v = session.VocabSize;
        var reference = ReferenceLlama.Forward(model.Weights, Prompt);

        using var cache = session.CreateCache(1);
        using var ro = new RunOptions();
        var last = new float[v];
        var all = new float[(Prompt.Length - 2) * v];
        session.Forward(Prompt.AsSpan(0, Prompt.Length - 2), Prompt.Length - 2, cache, ro, last, all);
        for (var t = 0; t < Prompt.Length - 2; t++)
        {
            AssertClose(reference[t], all.AsSpan(t * v, v));
        }

        // Two more tokens one at a time, through the KV cache.
        for (var t = Prompt.Length - 2; t < Prompt.Length; t++)
        {
            session.Forward(Prompt.AsSpan(t, 1), 1, cache, ro, last);
            Assert.Equal(t + 1, cache.Length);
            AssertClose(reference[t], last);
        }
    }

    [Theory]
    [InlineData("qwen")]
    [InlineData("shared")]
    public void Batched_cache_rows_reproduce_the_single_row_logits(string layout)
    {
        var model = Pick(layout);
        using var engine = new LocalOnnxEngine(model.Directory);
        var session = engine.Session;
        var v = session.VocabSize;
        using var cache = session.CreateCache(1);
        using var ro = new RunOptions();
        var last = new float[v];
        session.Forward(Prompt, Prompt.Length, cache, ro, last);
        using var batch = cache.CopyPrefix(cache.Length, 3);
        var batchLogits = new float[3 * v];
        int[] next = [9, 10, 11];
        session.Forward(next, 1, batch, ro, batchLogits);
        for (var r = 0; r < 3; r++)
        {
            AssertClose(ReferenceLlama.Forward(model.Weights, [.. Prompt, next[r]])[^1], batchLogits.AsSpan(r * v, v));
        }

        // A second step: each row continues its own sequence.
        session.Forward(new[] { 20, 21, 22 }, 1, batch, ro, batchLogits);
        for (var r = 0; r < 3; r++)
        {
            AssertClose(ReferenceLlama.Forward(model.Weights, [.. Prompt, next[r], 20 + r])[^1], batchLogits.AsSpan(r * v, v));
        }
    }

    [Fact]
    public void Session_discovers_inputs_from_metadata()
    {
        using var optimum = new LocalOnnxEngine(models.Qwen.Directory);
        using var genai = new LocalOnnxEngine(models.GenAi.Directory);
        Assert.True(optimum.Session.HasPositionIds);
        Assert.False(genai.Session.HasPositionIds);
        Assert.Contains("past_key.1", genai.Session.InputNames);
        Assert.Equal(2, genai.Session.Layers);
        Assert.Equal(2, optimum.Session.KvHeads);
        Assert.Equal(16, optimum.Session.HeadDim);
    }

    internal static void AssertClose(float[] expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var maxDiff = 0f;
        for (var i = 0; i < expected.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs(expected[i] - actual[i]));
        }

        Assert.True(maxDiff < 1e-3f, $"max |logit difference| = {maxDiff}");
        Assert.Equal(ArgMax(expected), ArgMax(actual));
    }

    internal static int ArgMax(ReadOnlySpan<float> x)
    {
        var best = 0;
        for (var i = 1; i < x.Length; i++)
        {
            if (x[i] > x[best])
            {
                best = i;
            }
        }

        return best;
    }

    [Fact]
    public async Task Float16_variant_runs_with_float16_cache_and_logits()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory, new LocalOnnxEngineOptions { Variant = ModelVariant.Fp16 });
        var session = engine.Session;
        Assert.EndsWith("model_fp16.onnx", engine.Descriptor.ModelPath, StringComparison.Ordinal);
        Assert.Equal(Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float16, session.CacheType);
        Assert.Equal(Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float16, session.LogitsType);

        using var cache = session.CreateCache(1);
        using var ro = new RunOptions();
        var last = new float[session.VocabSize];
        session.Forward(Prompt.AsSpan(0, 5), 5, cache, ro, last);
        using var rows = cache.CopyPrefix(cache.Length, 2);
        var two = new float[2 * session.VocabSize];
        session.Forward(new[] { Prompt[5], Prompt[5] }, 1, rows, ro, two);
        var reference = ReferenceLlama.Forward(models.Qwen.Weights, Prompt.AsSpan(0, 6).ToArray());
        for (var r = 0; r < 2; r++)
        {
            var row = two.AsSpan(r * session.VocabSize, session.VocabSize);
            var maxDiff = 0f;
            for (var i = 0; i < row.Length; i++)
            {
                maxDiff = Math.Max(maxDiff, Math.Abs(reference[^1][i] - row[i]));
            }

            Assert.True(maxDiff < 0.05f, $"fp16 max |logit difference| = {maxDiff}");
        }

        var result = await engine.GenerateAsync(Prompt, new Agents.LocalEngine.Generation.LocalGenerationSettings { MaxTokens = 5, MinTokens = 5, DoSample = false });
        Assert.Equal(5, result.TokenIds.Count);
    }
}
