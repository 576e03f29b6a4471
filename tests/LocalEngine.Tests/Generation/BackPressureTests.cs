namespace Agents.LocalEngine.Tests.Generation;

/// <summary>Back-pressure options: a bounded wait queue, a batch size and a per-request token limit, refused at once with clear errors.</summary>
[Collection(ModelCollection.Name)]
public sealed class BackPressureTests(ModelFixture models)
{
    [Fact]
    public async Task Requests_beyond_max_queued_fail_at_once_and_the_others_complete()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory, new LocalOnnxEngineOptions { MaxBatchSize = 1, MaxQueuedRequests = 1 });
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var release = new ManualResetEventSlim();

        // The decode thread stops before its first step: one request holds the only batch row.
        engine.StepStarting = _ =>
        {
            entered.TrySetResult();
            release.Wait();
        };
        var prompt = engine.Tokenize("Hello there");
        var settings = new LocalGenerationSettings { MaxTokens = 3, DoSample = false };
        try
        {
            var running = engine.GenerateAsync(prompt, settings);
            await entered.Task;
            var waiting = engine.GenerateAsync(prompt, settings);
            var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => engine.GenerateAsync(prompt, settings));
            Assert.Contains("MaxQueuedRequests = 1", ex.Message, StringComparison.Ordinal);
            Assert.Contains("MaxBatchSize = 1", ex.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            {
                await foreach (var _ in engine.GenerateStreamingAsync(prompt, settings))
                {
                }
            });

            release.Set();
            var a = await running;
            var b = await waiting;
            Assert.Equal(a.TokenIds, b.TokenIds);

            // Once the queue drains, requests are admitted again.
            Assert.Equal(a.TokenIds, (await engine.GenerateAsync(prompt, settings)).TokenIds);
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public async Task A_request_for_more_sequences_than_the_batch_holds_is_refused_naming_the_option()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory, new LocalOnnxEngineOptions { MaxBatchSize = 2 });
        var prompt = engine.Tokenize("Hello there");
        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => engine.GenerateManyAsync(prompt, 3, new LocalGenerationSettings { MaxTokens = 2 }));
        Assert.Contains("MaxBatchSize allows 2", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await engine.GenerateManyAsync(prompt, 2, new LocalGenerationSettings { MaxTokens = 2 })).Count);
    }

    [Fact]
    public async Task A_request_over_the_per_request_token_limit_is_refused_naming_the_option()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory, new LocalOnnxEngineOptions { MaxTokensPerRequest = 8 });
        var prompt = engine.Tokenize("Hello there");
        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => engine.GenerateAsync(prompt, new LocalGenerationSettings { MaxTokens = 9 }));
        Assert.Contains("MaxTokensPerRequest allows 8", ex.Message, StringComparison.Ordinal);
        Assert.InRange((await engine.GenerateAsync(prompt, new LocalGenerationSettings { MaxTokens = 8 })).TokenIds.Count, 1, 8);
    }
}
