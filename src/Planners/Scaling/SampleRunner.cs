using Agents.Planners.Runs.Events;

namespace Agents.Planners.Scaling;

/// <summary>Runs N samples of an agent as sub-runs, at most P at a time, and stops starting new ones once the budget is spent.</summary>
internal static class SampleRunner
{
    /// <remarks>
    /// Samples start strictly in index order (a new one starts when a slot frees up and the budget is not spent), so
    /// "first in start order" tie-breaks are deterministic; the results come back in index order.
    /// </remarks>
    public static async Task<IReadOnlyList<AgentRunResult>> RunAsync(
        AgentRunContext context, AgentRunner inner, int samples, int parallelism, CancellationToken cancellationToken)
    {
        var results = new AgentRunResult?[samples];
        using var gate = new SemaphoreSlim(parallelism, parallelism);
        var running = new List<Task>();
        try
        {
            for (int i = 0; i < samples; i++)
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                if (context.Tracker.IsExhausted || context.IsRunBudgetExhausted)
                {
                    gate.Release();
                    break;
                }

                context.Emit(new AttemptStartedEvent(i + 1));
                running.Add(RunOneAsync(context, inner, results, i, samples, gate, cancellationToken));
            }
        }
        finally
        {
            // Let started samples finish (a cancelled one returns its spend) before reporting.
            await Task.WhenAll(running).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return [.. results.Where(r => r is not null).Select(r => r!)];
    }

    private static async Task RunOneAsync(
        AgentRunContext context, AgentRunner inner, AgentRunResult?[] results, int index, int samples, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        try
        {
            results[index] = await context.RunSubAgentAsync(inner, SubRequest(context, samples), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
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
