using Agents.Planners.Grading;

namespace Agents.Planners.Tests.Grading;

public sealed class ExactMatchGraderTests
{
    private readonly ExactMatchGrader _grader = new();

    [Fact]
    public async Task MatchingAnswer_IsCorrect()
    {
        AnswerGrade grade = await _grader.GradeAsync("Who?", "the beatles", "Beatles");
        Assert.True(grade.IsCorrect);
    }

    [Fact]
    public async Task AliasInReference_IsAccepted()
    {
        AnswerGrade grade = await _grader.GradeAsync("Where?", "NYC", "New York City | NYC");
        Assert.True(grade.IsCorrect);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("None")]
    [InlineData("Boston")]
    public async Task WrongOrMissingAnswer_IsIncorrect(string? answer)
    {
        AnswerGrade grade = await _grader.GradeAsync("Where?", answer, "New York");
        Assert.False(grade.IsCorrect);
        Assert.NotEmpty(grade.Explanation);
    }

    [Fact]
    public async Task BadInput_Throws()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => _grader.GradeAsync("", "a", "a"));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => _grader.GradeAsync("q", "a", " "));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => _grader.GradeAsync(null!, "a", "a"));
    }
}
