namespace Agents.Planners.Grading;

/// <summary>Grades a candidate answer against a reference answer.</summary>
public interface IAnswerGrader
{
    /// <summary>Grades one answer.</summary>
    /// <param name="question">The question that was asked.</param>
    /// <param name="answer">The candidate answer; <see langword="null"/> grades as incorrect.</param>
    /// <param name="reference">The reference (gold) answer.</param>
    /// <param name="cancellationToken">Cancels the grading.</param>
    /// <returns>The grade.</returns>
    Task<AnswerGrade> GradeAsync(string question, string? answer, string reference, CancellationToken cancellationToken = default);
}
