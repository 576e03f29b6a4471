namespace Agents.LocalEngine.Generation;

/// <summary>A streamed piece of a generation: a new token and the text it completed, or the final result.</summary>
public sealed class LocalGenerationUpdate
{
    /// <summary>Gets the new token id, or -1 on the final update.</summary>
    public required int TokenId { get; init; }

    /// <summary>Gets the text completed by this token (may be empty while a character or a possible stop sequence is pending).</summary>
    public required string Text { get; init; }

    /// <summary>Gets the final result; set only on the last update.</summary>
    public LocalGenerationResult? Result { get; init; }
}
