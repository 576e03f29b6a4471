using Agents.Planners.Grading;

namespace Agents.Planners.Scaling;

/// <summary>
/// Self-consistency: run the inner agent several times on the shared budget and return the majority answer
/// (normalized answers, deterministic tie-break). Confidence is the winner's vote share.
/// </summary>
public sealed class SelfConsistencyStrategy : AgentRunner
{
    private readonly AgentRunner _inner;
    private readonly SelfConsistencyOptions _options;

    /// <summary>Creates the strategy.</summary>
    /// <param name="inner">The agent to sample (its tracker is the shared budget).</param>
    /// <param name="options">Options; defaults when null. Validated here.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="loggerFactory">Logging.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public SelfConsistencyStrategy(AgentRunner inner, SelfConsistencyOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
        : base((inner ?? throw new ArgumentNullException(nameof(inner))).Tracker, timeProvider, loggerFactory)
    {
        _inner = inner;
        _options = options ?? new SelfConsistencyOptions();
        _options.Validate();
    }

    /// <inheritdoc />
    public override string Name => "self-consistency(" + _inner.Name + ")";

    /// <inheritdoc />
    protected override async Task<AgentRunResult> ExecuteAsync(AgentRunContext context, CancellationToken cancellationToken)
    {
        IReadOnlyList<AgentRunResult> runs = await SampleRunner.RunAsync(
            context, _inner, _options.Samples, _options.MaxParallelism, cancellationToken).ConfigureAwait(false);
        MajorityVoteResult? vote = MajorityVote.Elect(
            runs.Select(r => r.Status == AgentRunStatus.Answered ? r.Answer : null), _options.TieBreak);
        if (vote is null)
        {
            return context.CreateResult(SampleRunner.NoAnswerStatus(context, runs), null, null, $"None of the {runs.Count} runs answered.");
        }

        return context.CreateResult(
            AgentRunStatus.Answered,
            vote.Answer,
            vote.Share,
            $"Majority vote: {vote.Votes} of {vote.TotalVotes} answers{(vote.WasTie ? " (tie broken by " + _options.TieBreak + ")" : string.Empty)}; {runs.Count} runs.");
    }
}
