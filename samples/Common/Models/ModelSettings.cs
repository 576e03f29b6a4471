namespace Agents.Samples.Common.Models;

/// <summary>
/// Which model the samples talk to: a local ONNX model folder (<c>--model DIR</c>) or an OpenAI-compatible endpoint
/// (<c>--endpoint URL --model-id NAME</c>, API key from the environment variable named by <c>--api-key-env</c>,
/// default <c>OPENAI_API_KEY</c>). The environment variables <c>AGENTS_MODEL_DIR</c>, <c>AGENTS_ENDPOINT</c> and
/// <c>AGENTS_MODEL_ID</c> stand in for the options.
/// </summary>
public sealed record ModelSettings
{
    /// <summary>The default name of the API key variable.</summary>
    public const string DefaultApiKeyVariable = "OPENAI_API_KEY";

    /// <summary>The local model folder, when the model is local.</summary>
    public string? ModelDirectory { get; init; }

    /// <summary>The endpoint (e.g. <c>http://localhost:11434/v1</c>), when the model is remote.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>The model name at the endpoint.</summary>
    public string? ModelId { get; init; }

    /// <summary>The API key (from the environment), or null when the variable is not set.</summary>
    public string? ApiKey { get; init; }

    /// <summary>The environment variable the key came from.</summary>
    public string ApiKeyVariable { get; init; } = DefaultApiKeyVariable;

    /// <summary>Whether this is the local ONNX engine.</summary>
    public bool IsLocal => ModelDirectory is not null;

    /// <summary>The model as shown to the user.</summary>
    public string DisplayName => IsLocal ? $"local ONNX model {ModelDirectory}" : $"{ModelId} at {Endpoint}";

    /// <summary>The paragraph printed when no model is configured.</summary>
    public static string NoModelHelp(string program) =>
        $"No model is configured, so {program} cannot run. Point it at a model in one of two ways: a local ONNX model folder "
        + "(a Hugging Face Optimum/transformers.js export with config.json, tokenizer.json and onnx/model.onnx, or an "
        + "onnxruntime-genai export with genai_config.json) with --model DIR; or any OpenAI-compatible endpoint (OpenAI, Azure OpenAI, "
        + "Ollama, vLLM, LM Studio) with --endpoint URL --model-id NAME, for example --endpoint http://localhost:11434/v1 "
        + $"--model-id qwen2.5:7b, with the API key in the environment variable {DefaultApiKeyVariable} (or the one named by "
        + "--api-key-env). The environment variables AGENTS_MODEL_DIR, AGENTS_ENDPOINT and AGENTS_MODEL_ID can be used instead of the options.";

    /// <summary>Reads the model options; returns null when no model is configured at all.</summary>
    /// <exception cref="CommandLineException">The options contradict each other or name a missing folder.</exception>
    public static ModelSettings? From(ParseResult args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        string? dir = args.Get("--model") ?? environment("AGENTS_MODEL_DIR");
        string? endpoint = args.Get("--endpoint") ?? environment("AGENTS_ENDPOINT");
        string? modelId = args.Get("--model-id") ?? environment("AGENTS_MODEL_ID");
        string keyVariable = args.Get("--api-key-env") ?? DefaultApiKeyVariable;

        if (string.IsNullOrWhiteSpace(dir) && string.IsNullOrWhiteSpace(endpoint))
        {
            if (!string.IsNullOrWhiteSpace(modelId))
            {
                throw new CommandLineException("--model-id names a model at an endpoint; give the endpoint too with --endpoint URL (or --model DIR for a local ONNX folder).");
            }

            return null;
        }

        if (!string.IsNullOrWhiteSpace(dir) && !string.IsNullOrWhiteSpace(endpoint))
        {
            throw new CommandLineException("Give either --model DIR (a local ONNX model folder) or --endpoint URL (an OpenAI-compatible endpoint), not both.");
        }

        if (!string.IsNullOrWhiteSpace(dir))
        {
            string full = Path.GetFullPath(dir);
            if (!Directory.Exists(full))
            {
                throw new CommandLineException($"--model: the folder '{full}' does not exist. Give the folder of a local ONNX model export.");
            }

            return new ModelSettings { ModelDirectory = full };
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new CommandLineException($"--endpoint: '{endpoint}' is not an http(s) URL. Example: --endpoint http://localhost:11434/v1");
        }

        if (string.IsNullOrWhiteSpace(modelId))
        {
            throw new CommandLineException("--endpoint needs the model name too: add --model-id NAME (for example --model-id gpt-4o-mini).");
        }

        if (string.IsNullOrWhiteSpace(keyVariable))
        {
            throw new CommandLineException("--api-key-env needs the name of an environment variable.");
        }

        return new ModelSettings { Endpoint = uri, ModelId = modelId, ApiKeyVariable = keyVariable, ApiKey = environment(keyVariable) };
    }

    /// <summary>The options of the one model factory (<see cref="ResearchModelFactory"/>) for these settings.</summary>
    public ResearchModelOptions ToOptions() => IsLocal
        ? new ResearchModelOptions { Provider = "onnx", Path = ModelDirectory }
        : new ResearchModelOptions { Provider = "openai", Endpoint = Endpoint?.ToString(), ModelId = ModelId, ApiKey = ApiKey ?? string.Empty, ApiKeyVariable = ApiKeyVariable };
}
