namespace Agents.Planners.Bats;

/// <summary>How the BATS judge chooses among several verified answers.</summary>
public enum BatsJudgeMode
{
    /// <summary>Pick the best-supported answer (best-of-N prompt).</summary>
    BestOfN,

    /// <summary>Pick the answer the attempts agree on most, weighing evidence (majority-vote prompt).</summary>
    MajorityVote,
}
