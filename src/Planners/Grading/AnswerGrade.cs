namespace Agents.Planners.Grading;

/// <summary>The outcome of grading one answer.</summary>
/// <param name="IsCorrect">Whether the answer matches the reference.</param>
/// <param name="Explanation">Why, in a few words (for reports).</param>
public sealed record AnswerGrade(bool IsCorrect, string Explanation);
