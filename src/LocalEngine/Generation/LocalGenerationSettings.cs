namespace Agents.LocalEngine.Generation;

/// <summary>
/// How to generate. Unset sampling values fall back to the model's generation_config.json (or genai_config.json
/// "search"), then to greedy decoding. Defaults: 256 new tokens, no minimum, no stop sequences, one sequence.
/// </summary>
public sealed class LocalGenerationSettings
{
    /// <summary>Gets or sets the maximum number of new tokens. Default 256.</summary>
    public int MaxTokens { get; set; } = 256;

    /// <summary>Gets or sets the number of tokens before end-of-sequence tokens are allowed. Default 0.</summary>
    public int MinTokens { get; set; }

    /// <summary>Gets or sets a value indicating whether to sample (true) or pick the most likely token (false). Null: the model's default.</summary>
    public bool? DoSample { get; set; }

    /// <summary>Gets or sets the sampling temperature (&gt;= 0; 0 means greedy). Null: the model's default, else 1.</summary>
    public float? Temperature { get; set; }

    /// <summary>Gets or sets the number of most likely tokens to sample from (&gt;= 0; 0 means all). Null: the model's default.</summary>
    public int? TopK { get; set; }

    /// <summary>Gets or sets the nucleus probability mass in (0, 1]. Null: the model's default, else 1.</summary>
    public float? TopP { get; set; }

    /// <summary>Gets or sets the repetition penalty (&gt; 0; 1 means none). Null: the model's default, else 1.</summary>
    public float? RepetitionPenalty { get; set; }

    /// <summary>Gets or sets the random seed; null uses a random one.</summary>
    public long? Seed { get; set; }

    /// <summary>Gets the texts that end generation; they are not included in the output.</summary>
    public IList<string> StopSequences { get; } = [];

    /// <summary>
    /// Gets or sets what the output must be (a JSON value of a schema, or a tool call); null for free text. Set by
    /// <see cref="LocalOnnxChatClient"/> from <c>ResponseFormat</c> and <c>ToolMode</c>.
    /// </summary>
    internal Constraints.JsonConstraintSpec? Constraint { get; set; }

    /// <summary>Throws when a value is out of range, naming it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        const string type = nameof(LocalGenerationSettings);
        if (MaxTokens < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTokens), MaxTokens, $"{type}.{nameof(MaxTokens)} must be >= 1.");
        }

        if (MinTokens < 0 || MinTokens > MaxTokens)
        {
            throw new ArgumentOutOfRangeException(nameof(MinTokens), MinTokens, $"{type}.{nameof(MinTokens)} must be between 0 and {nameof(MaxTokens)} ({MaxTokens}).");
        }

        if (Temperature is { } t && (t < 0 || float.IsNaN(t) || float.IsInfinity(t)))
        {
            throw new ArgumentOutOfRangeException(nameof(Temperature), t, $"{type}.{nameof(Temperature)} must be >= 0 and finite.");
        }

        if (TopK is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(TopK), TopK, $"{type}.{nameof(TopK)} must be >= 0 (0 means no limit).");
        }

        if (TopP is { } p && (!(p > 0) || p > 1))
        {
            throw new ArgumentOutOfRangeException(nameof(TopP), p, $"{type}.{nameof(TopP)} must be in (0, 1].");
        }

        if (RepetitionPenalty is { } r && (!(r > 0) || float.IsInfinity(r)))
        {
            throw new ArgumentOutOfRangeException(nameof(RepetitionPenalty), r, $"{type}.{nameof(RepetitionPenalty)} must be > 0 and finite.");
        }

        foreach (var stop in StopSequences)
        {
            if (string.IsNullOrEmpty(stop))
            {
                throw new ArgumentOutOfRangeException(nameof(StopSequences), $"{type}.{nameof(StopSequences)} must not contain null or empty strings.");
            }
        }
    }
}
