using Agents.Planners.Context;
using Agents.Planners.Prompts;
using Microsoft.Extensions.AI;

namespace Agents.Planners.Runs;

/// <summary>
/// Calls the model for a run: fits the request into the model's context window (the given one, else the one the
/// client announces, see <see cref="ContextWindow.FromChatClient"/>), applies the run's own output-token budget and
/// records usage and messages. With a response format (a JSON schema) it asks for structured output, and when the
/// server refuses it, asks once more without it; the run then stops asking for it.
/// </summary>
internal static class ModelInvoker
{
    public static async Task<ChatResponse> CallAsync(
        AgentRunContext context,
        IChatClient client,
        IEnumerable<ChatMessage> messages,
        ChatOptions? baseOptions,
        IReadOnlyList<AITool>? tools,
        string purpose,
        CancellationToken cancellationToken,
        ContextWindow? contextWindow = null,
        ChatResponseFormat? responseFormat = null)
    {
        ChatOptions options = baseOptions?.Clone() ?? new ChatOptions();
        options.Tools = tools is { Count: > 0 } ? [.. tools] : null;
        if (context.Request.MaxOutputTokens is long max)
        {
            long remaining = Math.Max(1, max - context.OutputTokensUsed);
            int cap = (int)Math.Min(int.MaxValue, remaining);
            options.MaxOutputTokens = options.MaxOutputTokens is int existing ? Math.Min(existing, cap) : cap;
        }

        ContextWindow? window = contextWindow ?? ContextWindow.FromChatClient(client);
        if (window is not null)
        {
            messages = await new ContextWindowChatReducer(window).ReduceAsync(messages, options.Tools, cancellationToken).ConfigureAwait(false);
            options.MaxOutputTokens = Math.Min(options.MaxOutputTokens ?? int.MaxValue, window.ReplyReserveTokens);
        }

        ChatResponse response;
        if (responseFormat is null)
        {
            response = await client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            (response, options) = await StructuredOutput.GetResponseAsync(
                client, messages, options, responseFormat, context.StructuredOutputRefused, ex => context.NoteStructuredOutputRefused(purpose, ex), cancellationToken).ConfigureAwait(false);
        }

        context.RecordModelResponse(purpose, response, options.ModelId);
        return response;
    }

    public static ChatMessage Log(AgentRunContext context, ChatMessage message)
    {
        context.RecordMessage(message);
        return message;
    }
}
