namespace Agents.Planners.Tests.Bats;

public sealed class VerificationParserTests
{
    [Fact]
    public void ParsesFullReplyInsideCodeFence()
    {
        const string reply = """
            Here is my verdict:
            ```json
            {"verification":[{"constraint":"born in 1950","status":"satisfied","evidence":"bio page"},
                             {"constraint":"won a prize","status":"unverifiable","evidence":"no source"}],
             "decision":"continue","justification":"one gap {left}","trajectory_summary":"found X",
             "details":{"failure_analysis":"none","useful_findings":"X born 1950","recommendations":"search prize","backtrack_to":"1.2"}}
            ```
            """;
        Assert.True(VerificationParser.TryParse(reply, "X", out VerificationReport? report, out string error), error);
        Assert.Equal(VerificationDecision.Continue, report.Decision);
        Assert.Equal(2, report.Checks.Count);
        Assert.Equal(ConstraintStatus.Unverifiable, report.Checks[1].Status);
        Assert.Equal("found X", report.TrajectorySummary);
        Assert.Equal("search prize", report.Recommendations);
        Assert.Equal("1.2", report.BacktrackTo);
        Assert.Equal("one gap {left}", report.Justification);
        Assert.False(report.IsFallback);
    }

    [Fact]
    public void SuccessWithContradiction_IsDowngradedToContinue()
    {
        const string reply = """{"verification":[{"constraint":"c","status":"contradicted"}],"decision":"SUCCESS"}""";
        Assert.True(VerificationParser.TryParse(reply, "X", out VerificationReport? report, out _));
        Assert.Equal(VerificationDecision.Continue, report.Decision);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("I think it is right.", "no JSON object")]
    [InlineData("{\"decision\": \"SUCCESS\"", "not closed")]
    [InlineData("{\"decision\": \"MAYBE\"}", "SUCCESS, CONTINUE or PIVOT")]
    [InlineData("{\"decision\": \"PIVOT\", \"verification\": [{\"status\": \"odd\"}]}", "satisfied, contradicted or unverifiable")]
    [InlineData("{\"decision\": PIVOT}", "could not be parsed")]
    public void InvalidReplies_GiveClearErrors(string reply, string expectedError)
    {
        Assert.False(VerificationParser.TryParse(reply, "X", out VerificationReport? report, out string error));
        Assert.Null(report);
        Assert.Contains(expectedError, error, StringComparison.Ordinal);
    }
}
