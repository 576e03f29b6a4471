namespace Agents.LocalEngine.Loading;

/// <summary>Everything read from a model folder's configuration files (not from the ONNX graph).</summary>
internal sealed record ModelDescriptor
{
    public required string Directory { get; init; }

    public required ModelLayout Layout { get; init; }

    public required string ModelPath { get; init; }

    /// <summary>The file the model-shape values were read from (config.json or genai_config.json), for error messages.</summary>
    public required string ConfigPath { get; init; }

    /// <summary>tokenizer.json, or tokenizer.model when the folder has only a SentencePiece model.</summary>
    public required string TokenizerPath { get; init; }

    public string ModelType { get; init; } = string.Empty;

    public int? NumLayers { get; init; }

    public int? NumKvHeads { get; init; }

    /// <summary>Gets the query heads (config.json's num_attention_heads); null when the folder does not say.</summary>
    public int? NumHeads { get; init; }

    /// <summary>Gets the sliding attention window (config.json's sliding_window when it is in use); null: full attention.</summary>
    public int? SlidingWindow { get; init; }

    public int? HeadDim { get; init; }

    public int? VocabSize { get; init; }

    public required int ContextLength { get; init; }

    public int? BosTokenId { get; init; }

    public IReadOnlyList<int> EosTokenIds { get; init; } = [];

    public string? BosToken { get; init; }

    public string? EosToken { get; init; }

    public bool? AddBosToken { get; init; }

    public string? ChatTemplate { get; init; }

    /// <summary>genai_config.json input/output names (%d patterns); null for the Optimum layout, where names are discovered.</summary>
    public GenAiNames? GenAiNames { get; init; }

    public GenerationDefaults Defaults { get; init; } = new();

    /// <summary>
    /// Gets a value indicating whether past and present KV tensors share one [batch, kv_heads, capacity, head_dim] buffer, the
    /// capacity growing up to the context length (genai GroupQueryAttention exports, and Optimum exports whose attention the
    /// engine fused).
    /// </summary>
    public bool PastPresentShareBuffer { get; init; }

    /// <summary>Gets a value indicating whether the engine rewrote the export's attention into GroupQueryAttention at load (<see cref="LocalOnnxEngineOptions.FuseAttention"/>).</summary>
    public bool AttentionFused { get; init; }
}
