namespace Agents.Planners.Tests.DeepResearch;

public sealed class StageLogTests
{
    [Theory]
    [InlineData("[ALL COMPLETE]", true)]
    [InlineData("notes\n  [ALL COMPLETE]  \nmore", true)]
    [InlineData("notes\r\n[ALL COMPLETE]\r\n", true)]
    [InlineData("Self-check: not yet [ALL COMPLETE], TODOs remain.", false)]
    [InlineData("- [ALL COMPLETE]", false)]
    [InlineData("[all complete]", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void MarkerCountsOnlyAsAWholeLine(string? text, bool expected) => Assert.Equal(expected, StageLog.HasMarker(text));

    [Theory]
    [InlineData(null, 0)]
    [InlineData("no rounds", 0)]
    [InlineData("# Round 1\nx\n# Round 2\n", 2)]
    [InlineData("# Round 3\n# Round 1\n", 3)]
    [InlineData("## Round 5\nText # Round 6\n# Round 2", 2)]
    public void LastRoundComesFromRoundHeadings(string? log, int expected) => Assert.Equal(expected, StageLog.LastRound(log));

    [Fact]
    public void OutlineSectionsAreParsedWithStatus()
    {
        var sections = OutlineSection.Parse("# Outline\n- [COMPLETE] Intro\n* [in-progress] ## Findings\n1. [TODO] Outlook\nplain line\n- [TODO]   \n");

        Assert.Equal(
            [new OutlineSection("Intro", "COMPLETE"), new OutlineSection("Findings", "IN-PROGRESS"), new OutlineSection("Outlook", "TODO")],
            sections);
        Assert.Empty(OutlineSection.Parse(null));
    }
}
