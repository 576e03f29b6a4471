namespace Agents.Planners.Grading;

/// <summary>The winner of a majority vote.</summary>
/// <param name="Answer">The winning answer as first spelled in the input.</param>
/// <param name="NormalizedAnswer">The winning answer after normalization (the vote key).</param>
/// <param name="Votes">Votes for the winner.</param>
/// <param name="TotalVotes">Votes cast (answers that were not "no answer").</param>
/// <param name="FirstIndex">The input index where the winner first appeared.</param>
/// <param name="WasTie">Whether another answer had as many votes and the tie-break decided.</param>
public sealed record MajorityVoteResult(string Answer, string NormalizedAnswer, int Votes, int TotalVotes, int FirstIndex, bool WasTie)
{
    /// <summary>Gets the winner's share of the votes, from 0 to 1.</summary>
    public double Share => TotalVotes == 0 ? 0 : (double)Votes / TotalVotes;
}
