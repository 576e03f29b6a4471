using System.ClientModel;
using Agents.Samples.ChatApp.OpenAICompat;
using OpenAI;
using OpenAI.Chat;

namespace Agents.Samples.ChatApp.Tests.Hosting;

/// <summary>The chat app serving <c>/v1/chat/completions</c> over a scripted model, and the OpenAI .NET client pointed at it.</summary>
internal static class CompletionsApp
{
    /// <summary>Starts the app with <paramref name="model"/> as its completions model named <paramref name="modelId"/>, plus any other <paramref name="services"/>.</summary>
    public static Task<TestApp> StartAsync(
        IChatClient model,
        string modelId = "tiny-test",
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null) =>
        TestApp.StartAsync(settings: settings, services: s =>
        {
            s.AddSingleton(new CompletionsModel(model, modelId));
            services?.Invoke(s);
        });

    /// <summary>The OpenAI .NET chat client for <paramref name="modelId"/> at the app's <c>/v1</c>.</summary>
    public static ChatClient OpenAIChat(this TestApp app, string key = "unused", string modelId = "tiny-test") =>
        new(modelId, new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = new Uri(app.BaseAddress, "v1") });
}
