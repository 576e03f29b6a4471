namespace Agents.Samples.Eval.Grid;

/// <summary>
/// One strategy of the evaluation grid (ReAct, ReAct + tracker, BATS, self-consistency, ...): answers one question
/// under a per-tool budget and reports what it spent.
/// </summary>
public interface IEvalStrategy
{
    /// <summary>The strategy's name in results and reports (e.g. <c>bats</c>).</summary>
    string Name { get; }

    /// <summary>Answers <paramref name="item"/> with at most <paramref name="budget"/> units per tool.</summary>
    /// <param name="item">The question.</param>
    /// <param name="budget">Units per tool category (search and browse).</param>
    /// <param name="cancellationToken">Cancels the run; a cancelled run is not recorded.</param>
    /// <returns>The answer and spend. Exceptions mean the harness cannot go on (unreachable model, rejected key)
    /// and stop the whole grid; finished rows are kept.</returns>
    Task<EvalAttempt> RunAsync(EvalItem item, int budget, CancellationToken cancellationToken);
}
