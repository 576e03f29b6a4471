using Agents.Planners.Grading;

namespace Agents.Planners.Tests.Grading;

public sealed class MajorityVoteTests
{
    [Fact]
    public void MostFrequentNormalizedAnswerWins()
    {
        MajorityVoteResult? result = MajorityVote.Elect(["Paris", "London", "paris.", "The Paris", "London"]);
        Assert.NotNull(result);
        Assert.Equal("Paris", result.Answer);
        Assert.Equal(3, result.Votes);
        Assert.Equal(5, result.TotalVotes);
        Assert.False(result.WasTie);
        Assert.Equal(0.6, result.Share, 3);
    }

    [Fact]
    public void Tie_FirstSeenWins_RegardlessOfLaterOrder()
    {
        MajorityVoteResult? a = MajorityVote.Elect(["Rome", "Oslo", "Oslo", "Rome"]);
        MajorityVoteResult? b = MajorityVote.Elect(["Oslo", "Rome", "Rome", "Oslo"]);
        Assert.Equal("Rome", a!.Answer);
        Assert.True(a.WasTie);
        Assert.Equal("Oslo", b!.Answer);
        Assert.Equal(0, b.FirstIndex);
    }

    [Fact]
    public void Tie_MostSpecificWins_WhenAsked()
    {
        MajorityVoteResult? result = MajorityVote.Elect(["Smith", "John Smith", "John Smith", "Smith"], MajorityVoteTieBreak.MostSpecific);
        Assert.Equal("John Smith", result!.Answer);
        Assert.True(result.WasTie);
    }

    [Fact]
    public void NoAnswersCastNoVote()
    {
        Assert.Null(MajorityVote.Elect([null, "", "None", "unknown"]));
        MajorityVoteResult? result = MajorityVote.Elect(["None", "None", "Kyoto"]);
        Assert.Equal("Kyoto", result!.Answer);
        Assert.Equal(1, result.TotalVotes);
        Assert.Equal(2, result.FirstIndex);
    }

    [Fact]
    public void Tally_OrdersByVotesThenFirstSeen()
    {
        var tally = MajorityVote.Tally(["y", "x", "x", "z", "y", "None"]);
        Assert.Equal(["y", "x", "z"], tally.Select(t => t.Key));
        Assert.Equal([2, 2, 1], tally.Select(t => t.Value));
    }

    [Fact]
    public void BadInput_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => MajorityVote.Elect(null!));
        Assert.Throws<ArgumentNullException>(() => MajorityVote.Tally(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => MajorityVote.Elect(["a"], (MajorityVoteTieBreak)42));
    }
}
