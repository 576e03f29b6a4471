using Agents.LocalEngine.Generation;

namespace Agents.LocalEngine.Tests.Generation;

/// <summary>Makes requests wait together: a holder request keeps the decode thread in its first step while they are submitted.</summary>
internal static class HeldEngine
{
    /// <summary>The holder's prompt; it generates 12 greedy tokens.</summary>
    public static readonly int[] Holder = [5, 6, 7];

    /// <summary>
    /// Starts the holder request and, once its first decode step has begun (it was prefilled alone), queues the others with
    /// <paramref name="submit"/> while that step waits, so that they wait together and are admitted by one prefill run.
    /// </summary>
    public static async Task<(LocalGenerationResult Holder, T Others)> WhileHeldAsync<T>(LocalOnnxEngine engine, Func<T> submit)
        where T : Task
    {
        using var holding = new SemaphoreSlim(0);
        using var submitted = new ManualResetEventSlim();
        engine.StepStarting = step =>
        {
            if (step == 0)
            {
                holding.Release();
                submitted.Wait();
            }
        };
        var holder = engine.GenerateAsync(Holder, new LocalGenerationSettings { MaxTokens = 12, DoSample = false });
        await holding.WaitAsync();
        var others = submit();
        submitted.Set();
        await Task.WhenAny(others);
        return (await holder, others);
    }
}
