using Agents.Planners.Grading;

namespace Agents.Planners.Scaling;

/// <summary>Options of <see cref="SelfConsistencyStrategy"/>.</summary>
public sealed class SelfConsistencyOptions
{
    /// <summary>Gets or sets how many runs vote. Default 5; 1 to 1,000.</summary>
    public int Samples { get; set; } = 5;

    /// <summary>Gets or sets how many runs go at once. Default 1 (sequential; stops early when the budget is spent); 1 to 64.</summary>
    public int MaxParallelism { get; set; } = 1;

    /// <summary>Gets or sets the tie-break rule. Default <see cref="MajorityVoteTieBreak.FirstSeen"/> (first run in start order).</summary>
    public MajorityVoteTieBreak TieBreak { get; set; } = MajorityVoteTieBreak.FirstSeen;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range (the message names it).</exception>
    public void Validate()
    {
        SampleRunner.ValidateCount(Samples, 1, 1_000, "SelfConsistencyOptions.Samples");
        SampleRunner.ValidateCount(MaxParallelism, 1, 64, "SelfConsistencyOptions.MaxParallelism");
        if (!Enum.IsDefined(TieBreak))
        {
            throw new ArgumentOutOfRangeException(nameof(TieBreak), TieBreak, "SelfConsistencyOptions.TieBreak is not a defined value.");
        }
    }
}
