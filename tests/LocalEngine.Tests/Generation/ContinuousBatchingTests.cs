namespace Agents.LocalEngine.Tests.Generation;

/// <summary>
/// Continuous batching: requests of different prompt lengths decode in shared steps, join after their own prefill and leave
/// when they finish, are cancelled or fail, and every sequence gets exactly the tokens it gets alone.
/// </summary>
[Collection(ModelCollection.Name)]
public sealed class ContinuousBatchingTests(ModelFixture models)
{
    // Different lengths, so rows of one step hold different numbers of positions.
    private static readonly int[][] Prompts = [[10, 20, 30, 40, 50], [7, 8], [100, 101, 102, 103, 104, 105, 106, 107, 108], [3, 1, 4, 1, 5, 9, 2], [42], [60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72]];

    private static LocalGenerationSettings Greedy(int maxTokens) => new() { MaxTokens = maxTokens, DoSample = false };

    private TestModel Model(string layout) => layout == "shared" ? models.Shared : models.Qwen;

    private static async Task<IReadOnlyList<int>[]> AloneAsync(string directory, int[][] prompts, Func<int, int> maxTokens)
    {
        using var engine = new LocalOnnxEngine(directory, new LocalOnnxEngineOptions { EnablePrefixReuse = false });
        var results = new IReadOnlyList<int>[prompts.Length];
        for (var i = 0; i < prompts.Length; i++)
        {
            results[i] = (await engine.GenerateAsync(prompts[i], Greedy(maxTokens(i)))).TokenIds;
        }

        return results;
    }

    [Theory]
    [InlineData("qwen")]
    [InlineData("shared")]
    public async Task Concurrent_greedy_requests_give_exactly_the_tokens_each_gives_alone(string layout)
    {
        var model = Model(layout);
        static int MaxTokens(int i) => 6 + (3 * i);
        var alone = await AloneAsync(model.Directory, Prompts, MaxTokens);

        using var engine = new LocalOnnxEngine(model.Directory, new LocalOnnxEngineOptions { MaxBatchSize = 8, MaxPrefillsPerStep = 2 });
        var tasks = new Task<LocalGenerationResult>[Prompts.Length];
        var late = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var submitted = new ManualResetEventSlim();

        // The first step waits for the first four requests; the last requests (the shortest and the longest prompt) arrive while the first ones are decoding and join mid-flight.
        engine.StepStarting = step =>
        {
            if (step == 0)
            {
                submitted.Wait();
            }

            if (step == 3)
            {
                tasks[4] = engine.GenerateAsync(Prompts[4], Greedy(MaxTokens(4)));
                tasks[5] = engine.GenerateAsync(Prompts[5], Greedy(MaxTokens(5)));
                late.SetResult();
            }
        };
        for (var i = 0; i < 4; i++)
        {
            tasks[i] = engine.GenerateAsync(Prompts[i], Greedy(MaxTokens(i)));
        }

        submitted.Set();

        await late.Task;
        var results = await Task.WhenAll(tasks);
        for (var i = 0; i < Prompts.Length; i++)
        {
            Assert.Equal(alone[i], results[i].TokenIds);
            var reference = GenerationTests.ReferenceGreedy(model.Weights, Prompts[i], MaxTokens(i), engine.EndOfSequenceTokenIds.ToHashSet());
            Assert.Equal(reference, results[i].TokenIds);
        }

        Assert.True(engine.LargestBatch >= 5, $"the largest step computed {engine.LargestBatch} rows");
    }

    [Fact]
    public async Task Cancelling_one_request_mid_decode_leaves_the_others_identical()
    {
        var prompts = Prompts[..4];
        var alone = await AloneAsync(models.Qwen.Directory, prompts, _ => 12);
        using var engine = new LocalOnnxEngine(models.Qwen.Directory, new LocalOnnxEngineOptions { MaxPrefillsPerStep = 4 });
        using var cts = new CancellationTokenSource();
        using var submitted = new ManualResetEventSlim();
        engine.StepStarting = step =>
        {
            // The first step waits for all four requests, so that all of them are in the batch when one is cancelled.
            if (step == 0)
            {
                submitted.Wait();
            }

            if (step == 4)
            {
                cts.Cancel();
            }
        };
        var settings = prompts.Select(_ => new LocalGenerationSettings { MaxTokens = 12, MinTokens = 12, DoSample = false }).ToArray();
        var cancelled = engine.GenerateAsync(prompts[1], settings[1], cts.Token);
        var others = new[] { 0, 2, 3 }.Select(i => engine.GenerateAsync(prompts[i], Greedy(12))).ToArray();
        submitted.Set();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        var results = await Task.WhenAll(others);
        Assert.Equal(alone[0], results[0].TokenIds);
        Assert.Equal(alone[2], results[1].TokenIds);
        Assert.Equal(alone[3], results[2].TokenIds);
        Assert.Equal(4, engine.LargestBatch);

        // The engine goes on serving.
        Assert.Equal(alone[1], (await engine.GenerateAsync(prompts[1], Greedy(12))).TokenIds);
    }

    [Fact]
    public async Task A_request_whose_sampling_throws_fails_alone_and_the_others_are_intact()
    {
        var prompts = Prompts[..3];
        var alone = await AloneAsync(models.Qwen.Directory, prompts, _ => 10);
        using var engine = new LocalOnnxEngine(models.Qwen.Directory, new LocalOnnxEngineOptions { MaxPrefillsPerStep = 3 });
        var failing = Greedy(10);
        using var submitted = new ManualResetEventSlim();
        engine.StepStarting = step =>
        {
            if (step == 0)
            {
                submitted.Wait();
            }
        };
        engine.BeforeSample = (settings, tokens) =>
        {
            if (ReferenceEquals(settings, failing) && tokens == 4)
            {
                throw new InvalidOperationException("the sampler broke");
            }
        };

        var first = engine.GenerateAsync(prompts[0], Greedy(10));
        var broken = engine.GenerateAsync(prompts[1], failing);
        var last = engine.GenerateAsync(prompts[2], Greedy(10));
        submitted.Set();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => broken);
        Assert.Equal("the sampler broke", ex.Message);
        Assert.Equal(alone[0], (await first).TokenIds);
        Assert.Equal(alone[2], (await last).TokenIds);
        Assert.Equal(3, engine.LargestBatch);
    }

    [Fact]
    public async Task The_prefix_cache_keeps_two_conversations_and_evicts_the_least_recently_used_beyond_its_budget()
    {
        int[] a = [10, 20, 30, 40, 50];
        int[] b = [11, 21, 31, 41, 51];

        async Task<(int CachedA, int CachedB, IReadOnlyList<int> TokensA)> TwoConversationsAsync(LocalOnnxEngineOptions options)
        {
            using var engine = new LocalOnnxEngine(models.Qwen.Directory, options);
            var a1 = await engine.GenerateAsync(a, Greedy(6));
            var b1 = await engine.GenerateAsync(b, Greedy(6));
            var a2 = await engine.GenerateAsync([.. a, .. a1.TokenIds, 60, 70], Greedy(5));
            var b2 = await engine.GenerateAsync([.. b, .. b1.TokenIds, 61, 71], Greedy(5));
            return (a2.CachedPromptTokens, b2.CachedPromptTokens, a2.TokenIds);
        }

        var both = await TwoConversationsAsync(new LocalOnnxEngineOptions());
        Assert.Equal(a.Length + 5, both.CachedA);
        Assert.Equal(b.Length + 5, both.CachedB);

        // A budget for one conversation (10 positions) but not two, nor the 13-token prompt of the next turn: storing the
        // second conversation evicts the first, least recently used.
        using var probe = new LocalOnnxEngine(models.Qwen.Directory);
        var bytesPerPosition = 2L * probe.Session.Layers * probe.Session.KvHeads * probe.Session.HeadDim * sizeof(float);
        var one = await TwoConversationsAsync(new LocalOnnxEngineOptions { KvCacheBudgetBytes = bytesPerPosition * 12 });
        Assert.Equal(0, one.CachedA);
        Assert.Equal(b.Length + 5, one.CachedB);
        Assert.Equal(both.TokensA, one.TokensA);
    }
}
