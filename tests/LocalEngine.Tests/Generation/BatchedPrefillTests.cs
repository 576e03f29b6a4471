using Agents.LocalEngine.Generation;

namespace Agents.LocalEngine.Tests.Generation;

/// <summary>
/// Batched prefill: single-sequence requests waiting together are prefilled in one run (prompts of different lengths padded on
/// the left, the padding masked out), and every sequence still gets exactly the tokens it gets alone; a request cancelled during
/// that run, or whose first token choice fails, leaves alone.
/// </summary>
[Collection(ModelCollection.Name)]
public sealed class BatchedPrefillTests(ModelFixture models)
{
    // The request that holds the decode thread while the others queue up, then five prompts of 4 to 11 tokens.
    private static readonly int[] Holder = HeldEngine.Holder;
    private static readonly int[][] Waiting = [[10, 20, 30, 40, 50], [100, 101, 102, 103, 104, 105, 106, 107, 108], [3, 1, 4, 1, 5, 9, 2], [60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70], [7, 8, 9, 10]];

    private static LocalGenerationSettings Greedy(int maxTokens) => new() { MaxTokens = maxTokens, DoSample = false };

    private static async Task<IReadOnlyList<int>[]> AloneAsync(string directory, int[][] prompts, int maxTokens)
    {
        using var engine = new LocalOnnxEngine(directory, new LocalOnnxEngineOptions { EnablePrefixReuse = false });
        var results = new IReadOnlyList<int>[prompts.Length];
        for (var i = 0; i < prompts.Length; i++)
        {
            results[i] = (await engine.GenerateAsync(prompts[i], Greedy(maxTokens))).TokenIds;
        }

        return results;
    }

    /// <summary>All waiting requests shared one prefill; the one at <paramref name="left"/> left and the others got their own tokens.</summary>
    private static void AssertOthersIntact(LocalOnnxEngine engine, IReadOnlyList<int>[] alone, LocalGenerationResult[] results, int left)
    {
        Assert.Equal(Waiting.Length, engine.LargestPrefill);
        var expected = alone.Where((_, i) => i != left).ToArray();
        Assert.Equal(expected.Length, results.Length);
        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(expected[i], results[i].TokenIds);
        }

        Assert.Equal(Waiting.Length, engine.LargestBatch);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Uneven_prompts_waiting_together_share_one_prefill_and_each_gets_its_own_tokens(bool prefixReuse)
    {
        var alone = await AloneAsync(models.Qwen.Directory, [Holder, .. Waiting], 12);
        using var engine = new LocalOnnxEngine(models.Qwen.Directory, new LocalOnnxEngineOptions { EnablePrefixReuse = prefixReuse });
        var prefills = new List<int>();
        engine.PrefillStarting = prefills.Add;

        var (holder, others) = await HeldEngine.WhileHeldAsync(engine, () => Task.WhenAll(Waiting.Select(p => engine.GenerateAsync(p, Greedy(12)))));
        var results = await others;

        Assert.Equal([Waiting.Length], prefills);
        Assert.Equal(Waiting.Length, engine.LargestPrefill);
        Assert.Equal(alone[0], holder.TokenIds);
        for (var i = 0; i < Waiting.Length; i++)
        {
            Assert.Equal(alone[i + 1], results[i].TokenIds);
            Assert.Equal(0, results[i].CachedPromptTokens);
            var reference = GenerationTests.ReferenceGreedy(models.Qwen.Weights, Waiting[i], 12, engine.EndOfSequenceTokenIds.ToHashSet());
            Assert.Equal(reference, results[i].TokenIds);
        }

        Assert.Equal(Waiting.Length + 1, engine.LargestBatch);
    }

    [Fact]
    public async Task A_prompt_cached_by_a_batched_prefill_is_reused_from_its_own_positions()
    {
        // The second waiting request stops after its first token, so only the batched prefill stored its prompt's positions.
        var shortPrompt = Waiting[2];
        var follow = (int[])[.. shortPrompt, 77, 78, 79];
        using var plain = new LocalOnnxEngine(models.Qwen.Directory, new LocalOnnxEngineOptions { EnablePrefixReuse = false });
        var expected = (await plain.GenerateAsync(follow, Greedy(8))).TokenIds;

        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        var (_, others) = await HeldEngine.WhileHeldAsync(engine, () => Task.WhenAll(
            engine.GenerateAsync(Waiting[1], Greedy(6)),
            engine.GenerateAsync(shortPrompt, Greedy(1)),
            engine.GenerateAsync(Waiting[3], Greedy(6))));
        await others;
        Assert.Equal(3, engine.LargestPrefill);

        var next = await engine.GenerateAsync(follow, Greedy(8));
        Assert.Equal(shortPrompt.Length, next.CachedPromptTokens);
        Assert.Equal(expected, next.TokenIds);
    }

    [Fact]
    public async Task A_request_cancelled_during_the_batched_prefill_leaves_and_the_others_are_identical()
    {
        var alone = await AloneAsync(models.Qwen.Directory, Waiting, 10);
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        using var cts = new CancellationTokenSource();
        engine.PrefillStarting = _ => cts.Cancel();
        Task<LocalGenerationResult>? cancelled = null;
        var (_, others) = await HeldEngine.WhileHeldAsync(engine, () =>
        {
            var tasks = Waiting.Select((p, i) => i == 2 ? null : engine.GenerateAsync(p, Greedy(10))).ToArray();
            cancelled = engine.GenerateAsync(Waiting[2], Greedy(10), cts.Token);
            return Task.WhenAll(tasks.Where(t => t is not null)!);
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled!);

        // Its row never joined the batch: the holder and the four others.
        AssertOthersIntact(engine, alone, await others, left: 2);
    }

    [Fact]
    public async Task A_batched_prefill_whose_requests_are_all_cancelled_stops_and_the_engine_goes_on()
    {
        var alone = await AloneAsync(models.Qwen.Directory, Waiting[..1], 10);
        using var engine = new LocalOnnxEngine(models.Qwen.Directory, new LocalOnnxEngineOptions { EnablePrefixReuse = false });
        using var cts = new CancellationTokenSource();
        engine.PrefillStarting = _ => cts.Cancel();
        var (_, others) = await HeldEngine.WhileHeldAsync(engine, () => Task.WhenAll(Waiting.Select(p => engine.GenerateAsync(p, Greedy(10), cts.Token))));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => others);
        Assert.Equal(Waiting.Length, engine.LargestPrefill);
        Assert.Equal(1, engine.LargestBatch);

        engine.PrefillStarting = null;
        Assert.Equal(alone[0], (await engine.GenerateAsync(Waiting[0], Greedy(10))).TokenIds);
    }

    [Fact]
    public async Task A_request_whose_first_token_choice_throws_fails_alone_and_the_others_are_intact()
    {
        var alone = await AloneAsync(models.Qwen.Directory, Waiting, 10);
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        var failing = Greedy(10);
        engine.BeforeSample = (settings, tokens) =>
        {
            if (ReferenceEquals(settings, failing) && tokens == 0)
            {
                throw new InvalidOperationException("the first choice broke");
            }
        };
        Task<LocalGenerationResult>? broken = null;
        var (_, others) = await HeldEngine.WhileHeldAsync(engine, () =>
        {
            var first = engine.GenerateAsync(Waiting[0], Greedy(10));
            broken = engine.GenerateAsync(Waiting[1], failing);
            return Task.WhenAll(new[] { first }.Concat(Waiting[2..].Select(p => engine.GenerateAsync(p, Greedy(10)))));
        });

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => broken!);
        Assert.Equal("the first choice broke", ex.Message);
        AssertOthersIntact(engine, alone, await others, left: 1);
    }

    [Fact]
    public async Task A_prompt_much_shorter_than_the_others_waits_for_its_own_prefill_run()
    {
        int[] longer = [.. Enumerable.Range(200, 12)];
        int[] tiny = [42];
        int[] other = [43];
        var alone = await AloneAsync(models.Qwen.Directory, [longer, tiny, other], 6);
        using var engine = new LocalOnnxEngine(models.Qwen.Directory, new LocalOnnxEngineOptions { EnablePrefixReuse = false });
        var prefills = new List<int>();
        engine.PrefillStarting = prefills.Add;
        var (_, others) = await HeldEngine.WhileHeldAsync(engine, () => Task.WhenAll(
            engine.GenerateAsync(longer, Greedy(6)),
            engine.GenerateAsync(tiny, Greedy(6)),
            engine.GenerateAsync(other, Greedy(6))));
        var results = await others;

        // 12 + 1 tokens in 2 × 12 positions is within twice the prompts' own tokens; 12 + 1 + 1 in 3 × 12 is not: the third
        // prompt is prefilled by the next run, alone.
        Assert.Equal(alone[0], results[0].TokenIds);
        Assert.Equal(alone[1], results[1].TokenIds);
        Assert.Equal(alone[2], results[2].TokenIds);
        Assert.Equal([2], prefills);
        Assert.Equal(2, engine.LargestPrefill);
    }
}
