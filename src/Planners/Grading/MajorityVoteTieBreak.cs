namespace Agents.Planners.Grading;

/// <summary>How <see cref="MajorityVote"/> chooses among answers with the same number of votes.</summary>
public enum MajorityVoteTieBreak
{
    /// <summary>The answer that appeared first in input order wins (the default).</summary>
    FirstSeen,

    /// <summary>The most specific answer (longest normalized text) wins; equal lengths fall back to first seen.</summary>
    MostSpecific,
}
