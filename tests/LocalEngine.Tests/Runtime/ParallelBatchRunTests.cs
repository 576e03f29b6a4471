using Agents.LocalEngine.Generation;
using Agents.LocalEngine.Tests.Generation;
using Microsoft.Extensions.Time.Testing;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Agents.LocalEngine.Tests.Runtime;

/// <summary>
/// Parallel batch runs: a batched step or prefill split into runs over contiguous row ranges, run at the same time, computes
/// exactly what one run over the whole batch computes, on a growing cache and on a shared buffer; a cancelled split run stops
/// every part and the engine goes on.
/// </summary>
[Collection(ModelCollection.Name)]
public sealed class ParallelBatchRunTests(ModelFixture models)
{
    // Twelve prompts of 1 to 12 tokens: rows of different lengths (a growing cache pads them on the left).
    private static readonly int[][] Prompts = [.. Enumerable.Range(1, 12).Select(n => Enumerable.Range(0, n).Select(i => ((n * 37) + (i * 11)) % 400 + 3).ToArray())];

    /// <summary>Prefills each prompt alone, adds it to one batch, then runs <paramref name="steps"/> greedy batched steps; returns every step's logits.</summary>
    private static List<float[]> BatchedSteps(LocalOnnxEngine engine, int rows, int steps)
    {
        var session = engine.Session;
        var vocab = session.VocabSize;
        using var batch = new BatchKvCache(session);
        using var runOptions = new RunOptions();
        var next = new int[rows];
        var last = new float[vocab];
        for (var r = 0; r < rows; r++)
        {
            using var cache = session.CreateCache(1);
            session.Forward(Prompts[r], Prompts[r].Length, cache, runOptions, last);
            batch.Add(cache);
            next[r] = DecoderSessionTests.ArgMax(last);
        }

        var all = new List<float[]>();
        for (var s = 0; s < steps; s++)
        {
            var logits = new float[rows * vocab];
            batch.Step(next, runOptions, logits);
            all.Add(logits);
            for (var r = 0; r < rows; r++)
            {
                next[r] = DecoderSessionTests.ArgMax(logits.AsSpan(r * vocab, vocab));
            }
        }

        return all;
    }

    private static void AssertSameLogits(List<float[]> expected, List<float[]> actual, int vocab)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var s = 0; s < expected.Count; s++)
        {
            for (var i = 0; i < expected[s].Length; i++)
            {
                Assert.True(Math.Abs(expected[s][i] - actual[s][i]) <= 1e-4f * (1 + Math.Abs(expected[s][i])),
                    $"step {s}, row {i / vocab}, token {i % vocab}: one run gave {expected[s][i]}, the split run {actual[s][i]}.");
            }

            for (var r = 0; r < expected[s].Length / vocab; r++)
            {
                Assert.Equal(DecoderSessionTests.ArgMax(expected[s].AsSpan(r * vocab, vocab)), DecoderSessionTests.ArgMax(actual[s].AsSpan(r * vocab, vocab)));
            }
        }
    }

    [Theory]
    [InlineData(false, 12, 3)] // three parts of four rows
    [InlineData(false, 9, 2)] // parts of five and four rows
    [InlineData(true, 12, 3)]
    [InlineData(true, 8, 2)]
    public void A_split_step_computes_exactly_the_rows_of_one_run(bool sharedBuffer, int rows, int parts)
    {
        var model = sharedBuffer ? models.Shared : models.Qwen;
        using var one = new LocalOnnxEngine(model.Directory, new LocalOnnxEngineOptions { ParallelBatchRuns = 1, EnablePrefixReuse = false });
        using var split = new LocalOnnxEngine(model.Directory, new LocalOnnxEngineOptions { ParallelBatchRuns = parts, ParallelBatchMinRunTime = TimeSpan.Zero, EnablePrefixReuse = false, TimeProvider = new FakeTimeProvider { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) } });

        var expected = BatchedSteps(one, rows, 6);
        var actual = BatchedSteps(split, rows, 6);

        AssertSameLogits(expected, actual, one.VocabSize);
        Assert.Equal(0, one.Session.SplitRuns);
        Assert.Equal(4, split.Session.SplitRuns); // each kind is tried for four runs, split first
    }

    [Fact]
    public void A_batch_smaller_than_two_parts_of_four_rows_runs_whole()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory, new LocalOnnxEngineOptions { ParallelBatchRuns = 4, ParallelBatchMinRunTime = TimeSpan.Zero, EnablePrefixReuse = false, TimeProvider = new FakeTimeProvider { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) } });

        BatchedSteps(engine, 7, 3);
        Assert.Equal(0, engine.Session.SplitRuns); // 7 rows: one part of at least four would leave the other fewer

        BatchedSteps(engine, 8, 3);
        Assert.Equal(3, engine.Session.SplitRuns); // the first try of four split runs
    }

    [Theory]
    [InlineData(1000, 4)] // every step follows a run of 1 ms (the first follows the 1-token prompt's run): the first four split
    [InlineData(250, 4)]
    [InlineData(100, 0)] // a model this fast loses more handing parts to threads than it gains
    public void A_run_is_split_only_after_a_decode_run_that_took_at_least_the_minimum(int microsecondsPerRun, int splitRuns)
    {
        var options = new LocalOnnxEngineOptions { ParallelBatchRuns = 2, EnablePrefixReuse = false, TimeProvider = new FakeTimeProvider { AutoAdvanceAmount = TimeSpan.FromMicroseconds(microsecondsPerRun) } };
        Assert.Equal(TimeSpan.FromMicroseconds(250), options.ParallelBatchMinRunTime);
        using var engine = new LocalOnnxEngine(models.Qwen.Directory, options);

        BatchedSteps(engine, 8, 6);

        Assert.Equal(splitRuns, engine.Session.SplitRuns);
    }

    [Fact]
    public async Task Eight_sampled_sequences_of_one_prompt_are_the_same_split_or_not()
    {
        var settings = new LocalGenerationSettings { MaxTokens = 12, MinTokens = 12, Temperature = 1f, TopP = 0.9f, Seed = 7 };
        using var one = new LocalOnnxEngine(models.Qwen.Directory, new LocalOnnxEngineOptions { ParallelBatchRuns = 1 });
        using var split = new LocalOnnxEngine(models.Qwen.Directory, new LocalOnnxEngineOptions { ParallelBatchRuns = 2, ParallelBatchMinRunTime = TimeSpan.Zero, TimeProvider = new FakeTimeProvider { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) } });

        var expected = await one.GenerateManyAsync(Prompts[5], 8, settings);
        var actual = await split.GenerateManyAsync(Prompts[5], 8, settings);

        Assert.Equal(expected.Select(r => r.TokenIds.ToArray()), actual.Select(r => r.TokenIds.ToArray()));
        Assert.Equal(7, split.Session.SplitRuns); // 11 steps of 8 rows: four split, four whole (each kind tried), three split
    }

    [Theory]
    [InlineData(8, true)]
    [InlineData(8, false)]
    [InlineData(4, true)]
    [InlineData(4, false)]
    public async Task Requests_waiting_together_are_prefilled_in_parts_and_each_gets_its_own_tokens(int count, bool fuseAttention)
    {
        // Fused: a shared KV buffer, prompts padded on the right; not fused: a growing cache, prompts padded on the left.
        var greedy = new LocalGenerationSettings { MaxTokens = 8, DoSample = false };
        using var alone = new LocalOnnxEngine(models.Qwen.Directory, new LocalOnnxEngineOptions { EnablePrefixReuse = false, ParallelBatchRuns = 1, FuseAttention = false });
        var prompts = Prompts[4..(4 + count)];
        var expected = new List<int[]>();
        foreach (var prompt in prompts)
        {
            expected.Add([.. (await alone.GenerateAsync(prompt, greedy)).TokenIds]);
        }

        using var engine = new LocalOnnxEngine(models.Qwen.Directory, new LocalOnnxEngineOptions { EnablePrefixReuse = false, ParallelBatchRuns = 2, ParallelBatchMinRunTime = TimeSpan.Zero, MaxBatchSize = 16, FuseAttention = fuseAttention });
        Assert.Equal(fuseAttention, engine.Descriptor.AttentionFused);
        var (_, others) = await HeldEngine.WhileHeldAsync(engine, () => Task.WhenAll(prompts.Select(p => engine.GenerateAsync(p, greedy))));
        var results = await others;

        Assert.Equal(count, engine.LargestPrefill);
        Assert.Equal(expected, results.Select(r => r.TokenIds.ToArray()));
        if (count == 4)
        {
            // A prefill splits from 2 rows per part; a decode step only from 4, so 4 rows decode whole.
            Assert.Equal(1, engine.Session.SplitRuns);
        }
        else
        {
            Assert.True(engine.Session.SplitRuns >= 2, $"{engine.Session.SplitRuns} split runs"); // the prefill and the first 8-row steps
        }
    }

    [Fact]
    public async Task A_split_prefill_whose_requests_are_all_cancelled_stops_every_part_and_the_engine_goes_on()
    {
        var greedy = new LocalGenerationSettings { MaxTokens = 8, DoSample = false };
        using var engine = new LocalOnnxEngine(models.Qwen.Directory, new LocalOnnxEngineOptions { EnablePrefixReuse = false, ParallelBatchRuns = 2, ParallelBatchMinRunTime = TimeSpan.Zero, MaxBatchSize = 16 });
        using var cts = new CancellationTokenSource();
        engine.PrefillStarting = _ => cts.Cancel();

        var (_, others) = await HeldEngine.WhileHeldAsync(engine, () => Task.WhenAll(Prompts[4..12].Select(p => engine.GenerateAsync(p, greedy, cts.Token))));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => others);
        Assert.Equal(8, engine.LargestPrefill);
        Assert.Equal(1, engine.LargestBatch);

        engine.PrefillStarting = null;
        using var alone = new LocalOnnxEngine(models.Qwen.Directory, new LocalOnnxEngineOptions { EnablePrefixReuse = false, ParallelBatchRuns = 1 });
        Assert.Equal((await alone.GenerateAsync(Prompts[6], greedy)).TokenIds, (await engine.GenerateAsync(Prompts[6], greedy)).TokenIds);
    }

    [Fact]
    public void Row_views_outside_the_batch_are_refused()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        var session = engine.Session;
        using var cache = KvCache.Zeroed(session.Layers, 2, session.KvHeads, 3, session.HeadDim, TensorElementType.Float);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => cache.PastRows(0, 1, 2));
        Assert.Contains("not all in a batch of 2", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.PastRows(0, -1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.PastRows(0, 0, 0));
        Assert.Throws<InvalidOperationException>(() => cache.PresentRows(0, 4, 0, 1)); // Present() not called for this run
        using var view = cache.PastRows(1, 1, 1);
        Assert.Equal([1L, session.KvHeads, 3, session.HeadDim], view.GetTensorTypeAndShape().Shape);
    }
}
