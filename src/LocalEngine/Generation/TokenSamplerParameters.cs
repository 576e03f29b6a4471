namespace Agents.LocalEngine.Generation;

/// <summary>What a <see cref="TokenSampler"/> draws over and how. Defaults: plain sampling at temperature 1 over the whole vocabulary, no penalty, a random seed.</summary>
internal sealed record TokenSamplerParameters
{
    /// <summary>Gets the number of logits per position.</summary>
    public required int VocabSize { get; init; }

    /// <summary>Gets a value indicating whether the most likely token is picked (also when <see cref="Temperature"/> is 0).</summary>
    public bool Greedy { get; init; }

    /// <summary>Gets the temperature the logits are divided by. Default 1.</summary>
    public float Temperature { get; init; } = 1f;

    /// <summary>Gets how many of the likeliest tokens are kept; 0 (default) keeps all.</summary>
    public int TopK { get; init; }

    /// <summary>Gets the nucleus mass kept, in (0, 1]. Default 1.</summary>
    public float TopP { get; init; } = 1f;

    /// <summary>Gets the repetition penalty applied to tokens already seen; 1 (default) means none.</summary>
    public float RepetitionPenalty { get; init; } = 1f;

    /// <summary>Gets the random seed; null (default) uses a random one.</summary>
    public long? Seed { get; init; }
}
