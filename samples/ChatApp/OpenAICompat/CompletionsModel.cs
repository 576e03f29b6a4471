namespace Agents.Samples.ChatApp.OpenAICompat;

/// <summary>The model that <c>/v1/chat/completions</c> serves (the local engine when configured).</summary>
/// <param name="Client">The chat client.</param>
/// <param name="ModelId">The id reported as <c>model</c> in responses and by <c>/v1/models</c>.</param>
internal sealed record CompletionsModel(IChatClient Client, string ModelId);
