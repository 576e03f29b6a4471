using Agents.Planners.Runs.Events;

namespace Agents.Planners.Scaling;

/// <summary>
/// First Finish Search: start N runs of the inner agent in parallel on the shared budget; the first run that
/// answers wins and the others are cancelled. Cancelled runs still report what they spent, and it is counted in this
/// run's cost. Runs that end without an answer do not win; if none answers, the result says why.
/// </summary>
public sealed class FirstFinishSearchStrategy : AgentRunner
{
    private readonly AgentRunner _inner;
    private readonly FirstFinishSearchOptions _options;

    /// <summary>Creates the strategy.</summary>
    /// <param name="inner">The agent to race.</param>
    /// <param name="options">Options; defaults when null. Validated here.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="loggerFactory">Logging.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public FirstFinishSearchStrategy(AgentRunner inner, FirstFinishSearchOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
        : base((inner ?? throw new ArgumentNullException(nameof(inner))).Tracker, timeProvider, loggerFactory)
    {
        _inner = inner;
        _options = options ?? new FirstFinishSearchOptions();
        _options.Validate();
    }

    /// <inheritdoc />
    public override string Name => "first-finish(" + _inner.Name + ")";

    /// <inheritdoc />
    protected override async Task<AgentRunResult> ExecuteAsync(AgentRunContext context, CancellationToken cancellationToken)
    {
        using var race = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = new List<Task<AgentRunResult>>();
        for (int i = 0; i < _options.Samples; i++)
        {
            context.Emit(new AttemptStartedEvent(i + 1));
            AgentRunRequest request = SampleRunner.SubRequest(context, _options.Samples);
            pending.Add(Task.Run(() => context.RunSubAgentAsync(_inner, request, race.Token), CancellationToken.None));
        }

        AgentRunResult? winner = null;
        var finished = new List<AgentRunResult>();
        while (pending.Count > 0)
        {
            Task<AgentRunResult> done = await Task.WhenAny(pending).ConfigureAwait(false);
            pending.Remove(done);
            AgentRunResult result = await done.ConfigureAwait(false);
            finished.Add(result);
            if (winner is null && result.Status == AgentRunStatus.Answered)
            {
                winner = result;
                await race.CancelAsync().ConfigureAwait(false);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (winner is null)
        {
            return context.CreateResult(SampleRunner.NoAnswerStatus(context, finished), null, null, $"None of the {finished.Count} parallel runs answered.");
        }

        int cancelled = finished.Count(r => r.Status == AgentRunStatus.Cancelled);
        return context.CreateResult(
            AgentRunStatus.Answered,
            winner.Answer,
            winner.Confidence,
            $"Run {winner.RunId} finished first with an answer; {cancelled} other runs were cancelled (their spend is included).");
    }
}
