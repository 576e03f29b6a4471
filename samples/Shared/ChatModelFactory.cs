using System.ClientModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using OpenAI;

namespace Agents.Samples.Shared;

/// <summary>Creates the <see cref="IChatClient"/> a <see cref="ModelOptions"/> names.</summary>
internal static class ChatModelFactory
{
    /// <summary>Creates the model, or returns <see langword="null"/> when no provider is set.</summary>
    /// <param name="options">The options.</param>
    /// <param name="section">The configuration path of the options, used in error messages (for example <c>ChatApp:Model</c>).</param>
    /// <param name="loggerFactory">The logger factory.</param>
    /// <exception cref="InvalidOperationException">An option is wrong; the message names it.</exception>
    public static ChatModel? Create(ModelOptions options, string section, ILoggerFactory? loggerFactory = null)
    {
        var provider = options.Provider?.Trim().ToLowerInvariant();
        return provider switch
        {
            null or "" => null,
            "openai" => CreateOpenAI(options, section),
            "onnx" => LocalOnnxModel.Create(options, section, loggerFactory),
            _ => throw new InvalidOperationException($"{section}:Provider '{options.Provider}' is unknown; use 'onnx' (with {section}:Path) or 'openai' (with {section}:Endpoint)."),
        };
    }

    private static ChatModel CreateOpenAI(ModelOptions options, string section)
    {
        if (!Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException($"{section}:Endpoint '{options.Endpoint}' is not an http(s) address; give the API base such as http://127.0.0.1:8000/v1.");
        }

        if (string.IsNullOrWhiteSpace(options.ModelId))
        {
            throw new InvalidOperationException($"{section}:ModelId is required with provider 'openai'.");
        }

        var key = string.IsNullOrEmpty(options.ApiKey) ? Environment.GetEnvironmentVariable("OPENAI_API_KEY") : options.ApiKey;
        var client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(key) ? "unused" : key), new OpenAIClientOptions { Endpoint = endpoint })
            .GetChatClient(options.ModelId)
            .AsIChatClient();
        return new ChatModel(client, options.ModelId);
    }
}
