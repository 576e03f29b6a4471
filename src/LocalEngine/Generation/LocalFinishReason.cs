namespace Agents.LocalEngine.Generation;

/// <summary>Why a sequence ended.</summary>
public enum LocalFinishReason
{
    /// <summary>An end-of-sequence token or a stop sequence.</summary>
    Stop,

    /// <summary>The maximum number of new tokens was reached.</summary>
    Length,

    /// <summary>The model's context length was reached.</summary>
    ContextFull,
}
