using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Agents.LocalEngine.Hosting;

/// <summary>
/// The Semantic Kernel chat service of the local engine. One reply goes through <paramref name="inner"/> (Semantic Kernel's
/// chat-client bridge with kernel function invocation). Several replies (<c>results_per_prompt</c> or <c>n</c> in the
/// settings, as OpenAI's <c>ResultsPerPrompt</c> serialises) go straight to <paramref name="client"/>, which samples them
/// from one prefill, and come back as that many messages (the bridge would return only the last one). With several
/// replies the history is sent as text and tool calls are not invoked.
/// </summary>
internal sealed class ResultsPerPromptChatCompletionService(IChatCompletionService inner, IChatClient client) : IChatCompletionService
{
    public IReadOnlyDictionary<string, object?> Attributes => inner.Attributes;

    public async Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chatHistory);
        var options = executionSettings?.ToChatOptions(kernel);
        if (options.GetResultsPerPrompt() <= 1)
        {
            return await inner.GetChatMessageContentsAsync(chatHistory, executionSettings, kernel, cancellationToken).ConfigureAwait(false);
        }

        options!.Tools = null;
        options.ToolMode = null;
        var messages = chatHistory.Select(m => new ChatMessage(new ChatRole(m.Role.Label), m.Content ?? string.Empty)).ToList();
        var response = await client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        return [.. response.Messages.Select(m => new ChatMessageContent(AuthorRole.Assistant, m.Text, response.ModelId, m, metadata: Metadata(m, response)))];
    }

    private static Dictionary<string, object?> Metadata(ChatMessage message, ChatResponse response)
    {
        var metadata = new Dictionary<string, object?> { ["Usage"] = response.Usage, ["Id"] = message.MessageId };
        foreach (var (key, value) in message.AdditionalProperties ?? [])
        {
            metadata[key] = value;
        }

        return metadata;
    }

    public IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default) =>
        inner.GetStreamingChatMessageContentsAsync(chatHistory, executionSettings, kernel, cancellationToken);
}
