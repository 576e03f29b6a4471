namespace Agents.Planners.Grading;

/// <summary>
/// Grades by exact match after <see cref="AnswerNormalizer.Normalize(string?)"/>; optional alias lists
/// accept several reference spellings separated by <c>|</c> in the reference.
/// </summary>
public sealed class ExactMatchGrader : IAnswerGrader
{
    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="question"/> or <paramref name="reference"/> is null or white space.</exception>
    public Task<AnswerGrade> GradeAsync(string question, string? answer, string reference, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(question);
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        cancellationToken.ThrowIfCancellationRequested();

        if (AnswerNormalizer.IsNoAnswer(answer))
        {
            return Task.FromResult(new AnswerGrade(false, "No answer was given."));
        }

        foreach (string alias in reference.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (AnswerNormalizer.AreEquivalent(answer, alias))
            {
                return Task.FromResult(new AnswerGrade(true, $"Matches the reference '{alias}' after normalization."));
            }
        }

        return Task.FromResult(new AnswerGrade(false, "Differs from the reference after normalization."));
    }
}
