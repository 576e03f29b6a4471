using Agents.Planners.Grading;

namespace Agents.Planners.Scaling;

/// <summary>
/// Best-of-N: run the inner agent N times on the shared budget, score each distinct answer once with an LLM
/// verifier, and return the highest-scoring one (ties: more votes, then first seen). Confidence is the score.
/// </summary>
public sealed class BestOfNStrategy : AgentRunner
{
    private readonly AgentRunner _inner;
    private readonly BestOfNOptions _options;
    private readonly AnswerScorer _scorer;

    /// <summary>Creates the strategy.</summary>
    /// <param name="inner">The agent to sample.</param>
    /// <param name="verifier">The model that scores answers.</param>
    /// <param name="options">Options; defaults when null. Validated here.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="loggerFactory">Logging.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> or <paramref name="verifier"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public BestOfNStrategy(AgentRunner inner, IChatClient verifier, BestOfNOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
        : base((inner ?? throw new ArgumentNullException(nameof(inner))).Tracker, timeProvider, loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        _inner = inner;
        _options = options ?? new BestOfNOptions();
        _options.Validate();
        _scorer = new AnswerScorer(verifier, _options.Prompts, _options.VerifierChatOptions);
    }

    /// <inheritdoc />
    public override string Name => "best-of-n(" + _inner.Name + ")";

    /// <inheritdoc />
    protected override async Task<AgentRunResult> ExecuteAsync(AgentRunContext context, CancellationToken cancellationToken)
    {
        IReadOnlyList<AgentRunResult> runs = await SampleRunner.RunAsync(
            context, _inner, _options.Samples, _options.MaxParallelism, cancellationToken).ConfigureAwait(false);
        var candidates = CandidateGroups.From(runs);
        if (candidates.Count == 0)
        {
            return context.CreateResult(SampleRunner.NoAnswerStatus(context, runs), null, null, $"None of the {runs.Count} runs answered.");
        }

        CandidateGroup best = await CandidateGroups.ScoreAndPickAsync(context, _scorer, candidates, cancellationToken).ConfigureAwait(false);
        return context.CreateResult(
            AgentRunStatus.Answered, best.Answer, best.Score, $"Best of {runs.Count} by verifier score {best.Score:0.###}: {best.Reason}");
    }
}
