namespace Agents.LocalEngine.Loading;

/// <summary>Sampling defaults from generation_config.json or genai_config.json "search".</summary>
internal sealed record GenerationDefaults
{
    public bool? DoSample { get; init; }

    public float? Temperature { get; init; }

    public int? TopK { get; init; }

    public float? TopP { get; init; }

    public float? RepetitionPenalty { get; init; }
}
