using System.ClientModel;
using System.ClientModel.Primitives;
using Agents.LocalEngine;
using Microsoft.Extensions.Http.Resilience;
using OpenAI;

namespace Agents.Hosting;

/// <summary>
/// The one place a research model is created from <see cref="ResearchModelOptions"/>: an OpenAI-compatible endpoint
/// (its HTTP client carries the standard resilience handler) or a local ONNX folder on the LocalEngine; both wrapped
/// with M.E.AI's <c>UseOpenTelemetry()</c>.
/// </summary>
public static class ResearchModelFactory
{
    /// <summary>The name of the <see cref="IHttpClientFactory"/> client that calls the model endpoint.</summary>
    public const string HttpClientName = "Agents.Hosting.Model";

    /// <summary>The key sent when none is configured: local servers (Ollama, vLLM) accept any key, and a server that checks answers 401.</summary>
    public const string PlaceholderApiKey = "no-key-set";

    /// <summary>Checks the options without opening anything.</summary>
    /// <param name="options">The options.</param>
    /// <param name="section">Their configuration path, named in the messages (for example <c>ChatApp:Model</c>).</param>
    /// <exception cref="OptionsValidationException">An option is wrong; every message names it.</exception>
    public static void Validate(ResearchModelOptions options, string section)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var generated = new ResearchModelOptionsValidator().Validate(section, options);
        if (generated.Failed)
        {
            failures.AddRange(generated.Failures.Select(f => $"{section}: {f}"));
        }

        switch (options.NormalizedProvider)
        {
            case null:
                break;
            case "openai":
                if (!Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
                {
                    failures.Add($"{section}:Endpoint '{options.Endpoint}' is not an http(s) address; give the API base such as http://127.0.0.1:8000/v1.");
                }

                if (string.IsNullOrWhiteSpace(options.ModelId))
                {
                    failures.Add($"{section}:ModelId is required with provider 'openai'.");
                }

                break;
            case "onnx":
                if (string.IsNullOrWhiteSpace(options.Path) || !Directory.Exists(options.Path))
                {
                    failures.Add($"{section}:Path '{options.Path}' is not a folder; give a local ONNX model folder (a Hugging Face Optimum or onnxruntime-genai export).");
                }

                break;
            default:
                failures.Add($"{section}:Provider '{options.Provider}' is unknown; use 'onnx' (with {section}:Path) or 'openai' (with {section}:Endpoint).");
                break;
        }

        var r = options.Resilience;
        if (r.TotalTimeout <= r.AttemptTimeout)
        {
            failures.Add($"{section}:Resilience:TotalTimeout ({r.TotalTimeout}) must be longer than {section}:Resilience:AttemptTimeout ({r.AttemptTimeout}).");
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(section, typeof(ResearchModelOptions), failures);
        }
    }

    /// <summary>Sets the standard resilience handler's options from <paramref name="resilience"/>.</summary>
    /// <param name="target">The handler's options.</param>
    /// <param name="resilience">The configured values.</param>
    public static void Configure(HttpStandardResilienceOptions target, ModelResilienceOptions resilience)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(resilience);
        target.TotalRequestTimeout.Timeout = resilience.TotalTimeout;
        target.AttemptTimeout.Timeout = resilience.AttemptTimeout;
        target.Retry.MaxRetryAttempts = resilience.MaxRetryAttempts;
        target.Retry.Delay = resilience.RetryDelay;
        target.Retry.ShouldRetryAfterHeader = true;
        target.CircuitBreaker.FailureRatio = resilience.CircuitBreakerFailureRatio;
        target.CircuitBreaker.MinimumThroughput = resilience.CircuitBreakerMinimumThroughput;
        target.CircuitBreaker.BreakDuration = resilience.CircuitBreakerBreakDuration;

        // The handler requires the window to span at least two attempts.
        target.CircuitBreaker.SamplingDuration = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(30).Ticks, resilience.AttemptTimeout.Ticks * 2));
    }

    /// <summary>Creates the model the options name, or returns <see langword="null"/> when no provider is set.</summary>
    /// <param name="options">The options (see <see cref="Validate"/>).</param>
    /// <param name="section">Their configuration path, for messages.</param>
    /// <param name="httpClient">The HTTP client for an endpoint (with the resilience handler; see <see cref="HttpClientName"/>); a plain one when null.</param>
    /// <param name="loggerFactory">The logger factory.</param>
    /// <param name="timeProvider">The clock of the local engine's chat client.</param>
    /// <exception cref="OptionsValidationException">An option is wrong; the message names it.</exception>
    /// <exception cref="LocalModelLoadException">The local folder is not a loadable model; the message names the file.</exception>
    public static ResearchModel? Create(ResearchModelOptions options, string section, HttpClient? httpClient = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        Validate(options, section);
        loggerFactory ??= NullLoggerFactory.Instance;
        ResearchModel? model = options.NormalizedProvider switch
        {
            "openai" => CreateOpenAI(options, httpClient),
            "onnx" => CreateLocal(options, loggerFactory, timeProvider),
            _ => null,
        };

        return model is null
            ? null
            : model with { Client = new ChatClientBuilder(model.Client).UseOpenTelemetry(loggerFactory).Build() };
    }

    private static ResearchModel CreateOpenAI(ResearchModelOptions options, HttpClient? httpClient)
    {
        var key = string.IsNullOrEmpty(options.ApiKey) ? Environment.GetEnvironmentVariable(options.ApiKeyVariable) : options.ApiKey;
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = new Uri(options.Endpoint!),

            // The resilience handler on the HTTP client retries and times out; the SDK's own retry would multiply the attempts.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = options.Resilience.TotalTimeout,
        };
        if (httpClient is not null)
        {
            clientOptions.Transport = new HttpClientPipelineTransport(httpClient);
        }

        var client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(key) ? PlaceholderApiKey : key), clientOptions)
            .GetChatClient(options.ModelId)
            .AsIChatClient();
        return new ResearchModel(client, options.ModelId!);
    }

    private static ResearchModel CreateLocal(ResearchModelOptions options, ILoggerFactory loggerFactory, TimeProvider? timeProvider)
    {
        var engine = new LocalOnnxEngine(options.Path!, new LocalOnnxEngineOptions(), loggerFactory);
        var client = new LocalOnnxChatClient(engine, timeProvider, ownsEngine: true);
        return new ResearchModel(client, string.IsNullOrWhiteSpace(options.ModelId) ? engine.ModelId : options.ModelId);
    }
}
