namespace Agents.LocalEngine.Generation;

/// <summary>One generated sequence with its token counts and timings.</summary>
public sealed class LocalGenerationResult
{
    /// <summary>Gets the generated token ids, including a final end-of-sequence token when there was one.</summary>
    public required IReadOnlyList<int> TokenIds { get; init; }

    /// <summary>Gets the generated text (special tokens and stop sequences left out).</summary>
    public required string Text { get; init; }

    /// <summary>Gets why generation ended.</summary>
    public required LocalFinishReason FinishReason { get; init; }

    /// <summary>Gets the number of prompt tokens.</summary>
    public required int PromptTokens { get; init; }

    /// <summary>Gets how many prompt tokens were served from the previous request's KV cache.</summary>
    public required int CachedPromptTokens { get; init; }

    /// <summary>Gets the time to process the prompt and produce the first token.</summary>
    public required TimeSpan PrefillTime { get; init; }

    /// <summary>Gets the time spent on the decode steps after the first token.</summary>
    public required TimeSpan DecodeTime { get; init; }

    /// <summary>Gets the number of decode steps after the first token.</summary>
    public required int DecodeSteps { get; init; }
}
