using Agents.Planners.Runs;
using Agents.Planners.Runs.Events;

namespace Agents.Planners.Scaling;

/// <summary>Runs N samples of an agent as sub-runs, at most P at a time, and stops starting new ones once the budget is spent.</summary>
internal static class SampleRunner
{
    public static async Task<IReadOnlyList<AgentRunResult>> RunAsync(
        AgentRunContext context, AgentRunner inner, int samples, int parallelism, CancellationToken cancellationToken)
    {
        var results = new AgentRunResult?[samples];
        using var gate = new SemaphoreSlim(parallelism, parallelism);
        var tasks = new Task[samples];
        for (int i = 0; i < samples; i++)
        {
            int index = i;
            tasks[i] = Task.Run(
                async () =>
                {
                    await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        if (context.Tracker.IsExhausted || context.IsRunBudgetExhausted)
                        {
                            return;
                        }

                        context.Emit(new AttemptStartedEvent(index + 1));
                        results[index] = await context.RunSubAgentAsync(inner, SubRequest(context, samples), cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        gate.Release();
                    }
                },
                CancellationToken.None);
        }

        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Finished sub-runs are recorded on the context; the caller reports Cancelled with their spend.
        }

        cancellationToken.ThrowIfCancellationRequested();
        return [.. results.Where(r => r is not null).Select(r => r!)];
    }

    /// <summary>A sub-run's request: same question and context; a share of the parent's output-token budget, if it has one.</summary>
    public static AgentRunRequest SubRequest(AgentRunContext context, int shares, string? question = null, string? extraContext = null)
    {
        long? share = context.Request.MaxOutputTokens is long max
            ? Math.Max(1, (max - context.OutputTokensUsed) / Math.Max(1, shares))
            : null;
        return new AgentRunRequest(question ?? context.Request.Question)
        {
            Context = extraContext ?? context.Request.Context,
            MaxOutputTokens = share,
        };
    }

    public static AgentRunStatus NoAnswerStatus(AgentRunContext context, IReadOnlyList<AgentRunResult> results)
        => context.Tracker.IsExhausted || context.IsRunBudgetExhausted || results.Any(r => r.Status == AgentRunStatus.BudgetExhausted)
            ? AgentRunStatus.BudgetExhausted
            : AgentRunStatus.GaveUp;

    public static void ValidateCount(int value, int min, int max, string name)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {min} and {max}.");
        }
    }
}
