using Agents.LocalEngine.Generation;

namespace Agents.LocalEngine.Tests.Generation;

/// <summary>Back-pressure options: a bounded wait queue and a per-request token limit, refused at once with clear errors.</summary>
[Collection(ModelCollection.Name)]
public sealed class BackPressureTests(ModelFixture models)
{
    [Fact]
    public async Task Requests_beyond_max_queued_fail_at_once_and_the_others_complete()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory, new LocalOnnxEngineOptions { MaxQueuedRequests = 1 });
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        engine.GateEntered = async ct =>
        {
            engine.GateEntered = null;
            entered.TrySetResult();
            await release.Task.WaitAsync(ct);
        };
        var prompt = engine.Tokenize("Hello there");
        var settings = new LocalGenerationSettings { MaxTokens = 3, DoSample = false };

        var running = engine.GenerateAsync(prompt, settings);
        await entered.Task;
        var waiting = engine.GenerateAsync(prompt, settings);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => engine.GenerateAsync(prompt, settings));
        Assert.Contains("MaxQueuedRequests = 1", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var _ in engine.GenerateStreamingAsync(prompt, settings))
            {
            }
        });

        release.SetResult();
        var a = await running;
        var b = await waiting;
        Assert.Equal(a.TokenIds, b.TokenIds);

        // Once the queue drains, requests are admitted again.
        Assert.Equal(a.TokenIds, (await engine.GenerateAsync(prompt, settings)).TokenIds);
    }

    [Fact]
    public async Task A_request_over_the_per_request_token_limit_is_refused_naming_the_option()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory, new LocalOnnxEngineOptions { MaxTokensPerRequest = 8 });
        var prompt = engine.Tokenize("Hello there");
        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => engine.GenerateAsync(prompt, new LocalGenerationSettings { MaxTokens = 9 }));
        Assert.Contains("MaxTokensPerRequest allows 8", ex.Message, StringComparison.Ordinal);
        Assert.InRange((await engine.GenerateAsync(prompt, new LocalGenerationSettings { MaxTokens = 8 })).TokenIds.Count, 1, 8);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LocalOnnxEngineOptions { MaxQueuedRequests = -1 }.Validate());
    }
}
