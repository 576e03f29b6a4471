using System.ClientModel;
using Agents.Samples.ChatApp.OpenAICompat;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenAI;

namespace Agents.Samples.ChatApp.Hosting;

/// <summary>Registers the <see cref="IChatClient"/> named by <c>ChatApp:Model</c>.</summary>
internal static class ChatAppModelSetup
{
    /// <summary>Reads <c>ChatApp:Model</c> and registers the model; throws naming the option when it is wrong.</summary>
    public static void AddConfiguredModel(WebApplicationBuilder builder)
    {
        var model = new ModelOptions();
        builder.Configuration.GetSection(ModelOptions.SectionName).Bind(model);
        var provider = model.Provider?.Trim().ToLowerInvariant();
        switch (provider)
        {
            case null or "":
                return;
            case "openai":
                AddOpenAI(builder.Services, model);
                return;
            default:
                throw new InvalidOperationException($"ChatApp:Model:Provider '{model.Provider}' is unknown; use 'openai' (with ChatApp:Model:Endpoint).");
        }
    }

    private static void AddOpenAI(IServiceCollection services, ModelOptions model)
    {
        if (!Uri.TryCreate(model.Endpoint, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException($"ChatApp:Model:Endpoint '{model.Endpoint}' is not an http(s) address; give the API base such as http://127.0.0.1:8000/v1.");
        }

        if (string.IsNullOrWhiteSpace(model.ModelId))
        {
            throw new InvalidOperationException("ChatApp:Model:ModelId is required with provider 'openai'.");
        }

        var key = string.IsNullOrEmpty(model.ApiKey) ? Environment.GetEnvironmentVariable("OPENAI_API_KEY") : model.ApiKey;
        var client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(key) ? "unused" : key), new OpenAIClientOptions { Endpoint = endpoint })
            .GetChatClient(model.ModelId)
            .AsIChatClient();
        services.TryAddSingleton(client);
        services.TryAddSingleton(new CompletionsModel(client, model.ModelId));
    }
}
