namespace Agents.Planners.Grading;

/// <summary>Grades a set of runs against reference answers and computes cost-of-pass (dollars per correct answer).</summary>
public static class RunSetEvaluator
{
    /// <summary>Computes cost-of-pass over runs already graded.</summary>
    /// <param name="graded">Each run with whether it was correct.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="graded"/> or one of its runs is null.</exception>
    public static CostOfPassReport Compute(IEnumerable<(AgentRunResult Run, bool Correct)> graded)
    {
        ArgumentNullException.ThrowIfNull(graded);
        var list = graded.ToList();
        if (list.Any(g => g.Run is null))
        {
            throw new ArgumentNullException(nameof(graded), "A graded run is null.");
        }

        double costOfPass = CostOfPass.Compute(list.Select(g => (g.Run.Cost.CostUsd, g.Correct)));
        return new CostOfPassReport(list.Count, list.Count(g => g.Correct), list.Sum(g => g.Run.Cost.CostUsd), costOfPass);
    }

    /// <summary>Grades each run's answer against its reference, then computes cost-of-pass.</summary>
    /// <param name="runs">Each run with its reference answer.</param>
    /// <param name="grader">The grader (exact match or an LLM judge).</param>
    /// <param name="cancellationToken">Cancels the grading.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="runs"/>, a run, or <paramref name="grader"/> is null.</exception>
    /// <exception cref="ArgumentException">A reference is empty.</exception>
    public static async Task<CostOfPassReport> EvaluateAsync(
        IEnumerable<(AgentRunResult Run, string Reference)> runs, IAnswerGrader grader, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(grader);
        var graded = new List<(AgentRunResult, bool)>();
        foreach ((AgentRunResult run, string reference) in runs)
        {
            ArgumentNullException.ThrowIfNull(run, nameof(runs));
            bool correct = run.Status == AgentRunStatus.Answered
                && (await grader.GradeAsync(run.Question, run.Answer, reference, cancellationToken).ConfigureAwait(false)).IsCorrect;
            graded.Add((run, correct));
        }

        return Compute(graded);
    }
}
