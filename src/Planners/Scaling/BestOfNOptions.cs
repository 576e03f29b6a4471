namespace Agents.Planners.Scaling;

/// <summary>Options of <see cref="BestOfNStrategy"/>.</summary>
public sealed class BestOfNOptions
{
    /// <summary>Gets or sets N, the number of runs. Default 4; 1 to 1,000.</summary>
    public int Samples { get; set; } = 4;

    /// <summary>Gets or sets how many runs go at once. Default 1; 1 to 64.</summary>
    public int MaxParallelism { get; set; } = 1;

    /// <summary>Gets or sets the verifier's chat options (model id, temperature).</summary>
    public ChatOptions? VerifierChatOptions { get; set; }

    /// <summary>Gets or sets the verifier's prompts.</summary>
    public VerifierPrompts Prompts { get; set; } = new();

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    /// <exception cref="ArgumentException">A prompt is invalid.</exception>
    public void Validate()
    {
        SampleRunner.ValidateCount(Samples, 1, 1_000, "BestOfNOptions.Samples");
        SampleRunner.ValidateCount(MaxParallelism, 1, 64, "BestOfNOptions.MaxParallelism");
        (Prompts ?? throw new ArgumentException("BestOfNOptions.Prompts must not be null.", nameof(Prompts))).Validate();
    }
}
