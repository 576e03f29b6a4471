using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Agents.Samples.Common.Models;

/// <summary>Creates the <see cref="IChatClient"/> for <see cref="ModelSettings"/>.</summary>
public static class ChatClientFactory
{
    /// <summary>
    /// An OpenAI-compatible client for <paramref name="settings"/> (one retry, 120 s network timeout), wrapped so that
    /// connection-level failures reach <paramref name="monitor"/>.
    /// </summary>
    public static IChatClient CreateRemote(ModelSettings settings, ModelFailureMonitor monitor)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(monitor);
        if (settings.Endpoint is null || settings.ModelId is null)
        {
            throw new ArgumentException("The settings name no endpoint and model id.", nameof(settings));
        }

        var options = new OpenAIClientOptions
        {
            Endpoint = settings.Endpoint,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 1),
            NetworkTimeout = TimeSpan.FromSeconds(120),
        };

        // Local servers (Ollama, vLLM) accept any key; a placeholder lets the client start, and a server that does check answers 401.
        var client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(settings.ApiKey) ? "no-key-set" : settings.ApiKey), options);
        return new ChatClientBuilder(client.GetChatClient(settings.ModelId).AsIChatClient())
            .UseFailureMonitoring(monitor, settings)
            .Build();
    }
}
