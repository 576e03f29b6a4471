using Agents.LocalEngine.Tests.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace Agents.LocalEngine.Tests.Generation;

[Collection(ModelCollection.Name)]
public sealed class EngineStateTests(ModelFixture models)
{
    private static readonly int[] Prompt = [10, 20, 30, 40, 50];
    private static LocalGenerationSettings Greedy(int n) => new() { MaxTokens = n, MinTokens = n, DoSample = false };

    [Fact]
    public async Task A_prompt_extending_the_previous_conversation_reuses_its_cache_and_gives_the_same_tokens()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        var first = await engine.GenerateAsync(Prompt, Greedy(6));
        Assert.Equal(0, first.CachedPromptTokens);
        int[] next = [.. Prompt, .. first.TokenIds, 60, 70];
        var reused = await engine.GenerateAsync(next, Greedy(8));
        Assert.Equal(Prompt.Length + first.TokenIds.Count - 1, reused.CachedPromptTokens);

        using var fresh = new LocalOnnxEngine(models.Qwen.Directory);
        var expected = await fresh.GenerateAsync(next, Greedy(8));
        Assert.Equal(0, expected.CachedPromptTokens);
        Assert.Equal(expected.TokenIds, reused.TokenIds);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_diverging_prompt_trims_the_cache_to_the_shared_prefix(bool sharedBuffer)
    {
        var dir = sharedBuffer ? models.Shared.Directory : models.Qwen.Directory;
        using var engine = new LocalOnnxEngine(dir);
        await engine.GenerateAsync([.. Prompt, 1, 2, 3], Greedy(4));
        int[] diverging = [.. Prompt, 9, 9];
        var result = await engine.GenerateAsync(diverging, Greedy(6));
        Assert.Equal(Prompt.Length, result.CachedPromptTokens);
        using var fresh = new LocalOnnxEngine(dir);
        Assert.Equal((await fresh.GenerateAsync(diverging, Greedy(6))).TokenIds, result.TokenIds);

        // Reuse disabled: nothing cached.
        using var noReuse = new LocalOnnxEngine(models.Qwen.Directory, new LocalOnnxEngineOptions { EnablePrefixReuse = false });
        await noReuse.GenerateAsync(Prompt, Greedy(2));
        Assert.Equal(0, (await noReuse.GenerateAsync([.. Prompt, 1], Greedy(2))).CachedPromptTokens);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task N_way_sampling_shares_one_prefill_and_each_row_matches_a_single_generation(bool sharedBuffer)
    {
        using var engine = new LocalOnnxEngine(sharedBuffer ? models.Shared.Directory : models.Qwen.Directory);
        var many = await engine.GenerateManyAsync(Prompt, 4, Greedy(8));
        var single = await engine.GenerateAsync(Prompt, Greedy(8));
        Assert.Equal(4, many.Count);
        Assert.All(many, r => Assert.Equal(single.TokenIds, r.TokenIds));

        // TopK = 0 explicitly: the genai test config's search defaults say top_k = 1.
        var sampled = await engine.GenerateManyAsync(Prompt, 6, new LocalGenerationSettings { MaxTokens = 12, MinTokens = 12, Temperature = 2f, TopK = 0, Seed = 11 });
        Assert.True(sampled.Select(r => string.Join(",", r.TokenIds)).Distinct().Count() > 1);
        var again = await engine.GenerateManyAsync(Prompt, 6, new LocalGenerationSettings { MaxTokens = 12, MinTokens = 12, Temperature = 2f, TopK = 0, Seed = 11 });
        Assert.Equal(sampled.Select(r => r.TokenIds), again.Select(r => r.TokenIds));
    }

    [Fact]
    public async Task Concurrent_requests_queue_and_each_gets_its_own_correct_result()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        int[][] prompts = [[1, 2, 3], [4, 5, 6, 7], [1, 2, 3, 8], [100, 200]];
        var expected = new List<IReadOnlyList<int>>();
        using (var reference = new LocalOnnxEngine(models.Qwen.Directory))
        {
            foreach (var p in prompts)
            {
                expected.Add((await reference.GenerateAsync(p, Greedy(10))).TokenIds);
            }
        }

        var tasks = prompts.Select(p => Task.Run(() => engine.GenerateAsync(p, Greedy(10)))).ToArray();
        var results = await Task.WhenAll(tasks);
        for (var i = 0; i < prompts.Length; i++)
        {
            Assert.Equal(expected[i], results[i].TokenIds);
        }
    }

    [Fact]
    public async Task Cancellation_mid_stream_throws_and_leaves_the_engine_usable()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        using var cts = new CancellationTokenSource();
        var seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in engine.GenerateStreamingAsync(Prompt, Greedy(100), cts.Token))
            {
                if (++seen == 3)
                {
                    await cts.CancelAsync();
                }
            }
        });
        Assert.True(seen < 100);

        using var pre = new CancellationTokenSource();
        await pre.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.GenerateAsync(Prompt, Greedy(5), pre.Token));

        using var fresh = new LocalOnnxEngine(models.Qwen.Directory);
        Assert.Equal((await fresh.GenerateAsync(Prompt, Greedy(10))).TokenIds, (await engine.GenerateAsync(Prompt, Greedy(10))).TokenIds);
    }

    [Fact]
    public void A_terminated_run_leaves_the_cache_as_it_was()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        var session = engine.Session;
        var v = session.VocabSize;
        using var cache = session.CreateCache(1);
        var logits = new float[v];
        using (var ro = new RunOptions())
        {
            session.Forward(Prompt, Prompt.Length, cache, ro, logits);
        }

        using (var terminated = new RunOptions { Terminate = true })
        {
            Assert.Throws<OnnxRuntimeException>(() => session.Forward(new[] { 60 }, 1, cache, terminated, logits));
        }

        Assert.Equal(Prompt.Length, cache.Length);
        using (var ro = new RunOptions())
        {
            session.Forward(new[] { 60 }, 1, cache, ro, logits);
        }

        DecoderSessionTests.AssertClose(ReferenceLlama.Forward(models.Qwen.Weights, [.. Prompt, 60])[^1], logits);
    }

    [Fact]
    public async Task Abandoning_a_stream_early_releases_the_engine()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        var taken = 0;
        await foreach (var update in engine.GenerateStreamingAsync(Prompt, Greedy(100)))
        {
            if (++taken == 2)
            {
                break;
            }
        }

        // The next request is not blocked by the abandoned one and gives the fresh-engine answer.
        using var fresh = new LocalOnnxEngine(models.Qwen.Directory);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.Equal((await fresh.GenerateAsync([1, 2, 3], Greedy(6))).TokenIds, (await engine.GenerateAsync([1, 2, 3], Greedy(6), timeout.Token)).TokenIds);
    }

    [Fact]
    public async Task Disposed_engine_refuses_requests()
    {
        var engine = new LocalOnnxEngine(models.Qwen.Directory);
        engine.Dispose();
        engine.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => engine.GenerateAsync(Prompt));
    }
}
