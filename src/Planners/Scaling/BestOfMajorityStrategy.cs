namespace Agents.Planners.Scaling;

/// <summary>
/// Best-of-Majority: run the inner agent N times, keep only answers given by at least
/// <see cref="BestOfMajorityOptions.MinShare"/> of the answered runs, score those with an LLM verifier and return the
/// best (ties: more votes, then first seen). Rare answers are never scored, which keeps the verifier from being fooled
/// by one lucky-looking outlier as N grows.
/// </summary>
public sealed class BestOfMajorityStrategy : AgentRunner
{
    private readonly AgentRunner _inner;
    private readonly BestOfMajorityOptions _options;
    private readonly AnswerScorer _scorer;

    /// <summary>Creates the strategy.</summary>
    /// <param name="inner">The agent to sample.</param>
    /// <param name="verifier">The model that scores answers.</param>
    /// <param name="options">Options; defaults when null. Validated here.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="loggerFactory">Logging.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> or <paramref name="verifier"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public BestOfMajorityStrategy(AgentRunner inner, IChatClient verifier, BestOfMajorityOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
        : base((inner ?? throw new ArgumentNullException(nameof(inner))).Tracker, timeProvider, loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        _inner = inner;
        _options = options ?? new BestOfMajorityOptions();
        _options.Validate();
        _scorer = new AnswerScorer(verifier, _options.Prompts, _options.VerifierChatOptions);
    }

    /// <inheritdoc />
    public override string Name => "best-of-majority(" + _inner.Name + ")";

    /// <inheritdoc />
    protected override async Task<AgentRunResult> ExecuteAsync(AgentRunContext context, CancellationToken cancellationToken)
    {
        IReadOnlyList<AgentRunResult> runs = await SampleRunner.RunAsync(
            context, _inner, _options.Samples, _options.MaxParallelism, cancellationToken).ConfigureAwait(false);
        List<CandidateGroup> groups = CandidateGroups.From(runs);
        if (groups.Count == 0)
        {
            return context.CreateResult(SampleRunner.NoAnswerStatus(context, runs), null, null, $"None of the {runs.Count} runs answered.");
        }

        int answered = groups.Sum(g => g.Votes);
        List<CandidateGroup> frequent = groups.Where(g => (double)g.Votes / answered >= _options.MinShare).ToList();
        if (frequent.Count == 0)
        {
            int top = groups.Max(g => g.Votes);
            frequent = groups.Where(g => g.Votes == top).ToList();
        }

        CandidateGroup best = await CandidateGroups.ScoreAndPickAsync(context, _scorer, frequent, cancellationToken).ConfigureAwait(false);
        return context.CreateResult(
            AgentRunStatus.Answered,
            best.Answer,
            best.Score,
            $"{frequent.Count} of {groups.Count} distinct answers passed the frequency filter; best score {best.Score:0.###} with {best.Votes} votes: {best.Reason}");
    }
}
