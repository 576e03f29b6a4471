namespace Agents.Samples.Shared;

/// <summary>Which model a sample uses, bound from its <c>Model</c> section.</summary>
internal sealed class ModelOptions
{
    /// <summary>The configuration section name, under the app's own section (for example <c>ChatApp:Model</c>).</summary>
    public const string SectionName = "Model";

    /// <summary>Gets or sets <c>onnx</c> (a local model folder), <c>openai</c> (an OpenAI-compatible endpoint) or empty (no model).</summary>
    public string? Provider { get; set; }

    /// <summary>Gets or sets the local ONNX model folder (provider <c>onnx</c>).</summary>
    public string? Path { get; set; }

    /// <summary>Gets or sets the base address of the OpenAI-compatible API, for example <c>http://127.0.0.1:8000/v1</c> (provider <c>openai</c>).</summary>
    public string? Endpoint { get; set; }

    /// <summary>Gets or sets the model id sent to the endpoint and reported by <c>/v1/models</c>.</summary>
    public string? ModelId { get; set; }

    /// <summary>Gets or sets the endpoint's API key; default the <c>OPENAI_API_KEY</c> environment variable.</summary>
    public string? ApiKey { get; set; }
}
