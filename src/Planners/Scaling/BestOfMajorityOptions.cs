namespace Agents.Planners.Scaling;

/// <summary>Options of <see cref="BestOfMajorityStrategy"/>.</summary>
public sealed class BestOfMajorityOptions
{
    /// <summary>Gets or sets N, the number of runs. Default 8; 1 to 1,000.</summary>
    public int Samples { get; set; } = 8;

    /// <summary>Gets or sets how many runs go at once. Default 1; 1 to 64.</summary>
    public int MaxParallelism { get; set; } = 1;

    /// <summary>
    /// Gets or sets the smallest share of answered runs a candidate needs to be scored (the frequency filter).
    /// Default 0.25; greater than 0 and at most 1. When no candidate reaches it, the most frequent ones are kept.
    /// </summary>
    public double MinShare { get; set; } = 0.25;

    /// <summary>Gets or sets the verifier's chat options.</summary>
    public ChatOptions? VerifierChatOptions { get; set; }

    /// <summary>Gets or sets the verifier's prompts.</summary>
    public VerifierPrompts Prompts { get; set; } = new();

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    /// <exception cref="ArgumentException">A prompt is invalid.</exception>
    public void Validate()
    {
        SampleRunner.ValidateCount(Samples, 1, 1_000, "BestOfMajorityOptions.Samples");
        SampleRunner.ValidateCount(MaxParallelism, 1, 64, "BestOfMajorityOptions.MaxParallelism");
        if (!(MinShare > 0 && MinShare <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(MinShare), MinShare, "BestOfMajorityOptions.MinShare must be greater than 0 and at most 1.");
        }

        (Prompts ?? throw new ArgumentException("BestOfMajorityOptions.Prompts must not be null.", nameof(Prompts))).Validate();
    }
}
