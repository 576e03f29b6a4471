using Agents.Planners.Grading;

namespace Agents.Planners.Tests.Grading;

public sealed class AnswerNormalizerTests
{
    [Theory]
    [InlineData("The Eiffel Tower!", "eiffel tower")]
    [InlineData("  Café   Müller ", "cafe muller")]
    [InlineData("<answer>An Apple</answer>", "apple")]
    [InlineData("Final answer: 42.", "42")]
    [InlineData("ＡＢＣ", "abc")]
    [InlineData("São-Paulo", "sao paulo")]
    [InlineData("A", "a")]
    [InlineData("(B) the answer", "b answer")]
    public void Normalize_CanonicalizesEquivalentSpellings(string input, string expected)
        => Assert.Equal(expected, AnswerNormalizer.Normalize(input));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Normalize_EmptyInput_GivesEmpty(string? input) => Assert.Equal(string.Empty, AnswerNormalizer.Normalize(input));

    [Fact]
    public void AreEquivalent_ComparesNormalizedTextAndRejectsEmpty()
    {
        Assert.True(AnswerNormalizer.AreEquivalent("the Beatles", "Beatles."));
        Assert.False(AnswerNormalizer.AreEquivalent("Beatles", "Rolling Stones"));
        Assert.False(AnswerNormalizer.AreEquivalent("", " "));
    }

    [Theory]
    [InlineData("None", true)]
    [InlineData("I don't know", true)]
    [InlineData("", true)]
    [InlineData("Paris", false)]
    public void IsNoAnswer_RecognizesEmptyAnswers(string input, bool expected)
        => Assert.Equal(expected, AnswerNormalizer.IsNoAnswer(input));
}
