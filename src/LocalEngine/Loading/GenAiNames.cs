namespace Agents.LocalEngine.Loading;

/// <summary>Input and output names declared by genai_config.json.</summary>
internal sealed record GenAiNames(
    string InputIds,
    string? AttentionMask,
    string? PositionIds,
    string PastKey,
    string PastValue,
    string Logits,
    string PresentKey,
    string PresentValue);
