namespace Agents.Hosting;

/// <summary>
/// Which model the research agents talk to, bound from a <c>Model</c> configuration section: a local ONNX model folder
/// (<see cref="Provider"/> <c>onnx</c> with <see cref="Path"/>) or an OpenAI-compatible endpoint (<c>openai</c> with
/// <see cref="Endpoint"/> and <see cref="ModelId"/>). Empty <see cref="Provider"/> means no model.
/// </summary>
public sealed class ResearchModelOptions
{
    /// <summary>The usual configuration section name.</summary>
    public const string SectionName = "Model";

    /// <summary>The default environment variable the API key is read from.</summary>
    public const string DefaultApiKeyVariable = "OPENAI_API_KEY";

    /// <summary>Gets or sets <c>onnx</c> (a local model folder), <c>openai</c> (an OpenAI-compatible endpoint) or empty (no model).</summary>
    public string? Provider { get; set; }

    /// <summary>Gets or sets the local ONNX model folder (provider <c>onnx</c>).</summary>
    public string? Path { get; set; }

    /// <summary>Gets or sets the base address of the OpenAI-compatible API, for example <c>http://127.0.0.1:8000/v1</c> (provider <c>openai</c>).</summary>
    public string? Endpoint { get; set; }

    /// <summary>Gets or sets the model id sent to the endpoint (required with <c>openai</c>; with <c>onnx</c> it overrides the folder's id).</summary>
    public string? ModelId { get; set; }

    /// <summary>Gets or sets the endpoint's API key; when empty, the environment variable <see cref="ApiKeyVariable"/> is read.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the environment variable that holds the API key. Default <c>OPENAI_API_KEY</c>.</summary>
    [Required]
    public string ApiKeyVariable { get; set; } = DefaultApiKeyVariable;

    /// <summary>Gets or sets the resilience of calls to an OpenAI-compatible endpoint (retry, timeouts, circuit breaker).</summary>
    [ValidateObjectMembers]
    public ModelResilienceOptions Resilience { get; set; } = new();

    /// <summary>Gets the provider in lower case, or <see langword="null"/> when none is set.</summary>
    internal string? NormalizedProvider => string.IsNullOrWhiteSpace(Provider) ? null : Provider.Trim().ToLowerInvariant();
}
