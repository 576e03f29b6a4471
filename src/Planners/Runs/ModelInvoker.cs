using Microsoft.Extensions.AI;

namespace Agents.Planners.Runs;

/// <summary>Calls the model for a run: applies the run's own output-token budget and records usage and messages.</summary>
internal static class ModelInvoker
{
    public static async Task<ChatResponse> CallAsync(
        AgentRunContext context,
        IChatClient client,
        IEnumerable<ChatMessage> messages,
        ChatOptions? baseOptions,
        IReadOnlyList<AITool>? tools,
        string purpose,
        CancellationToken cancellationToken)
    {
        ChatOptions options = baseOptions?.Clone() ?? new ChatOptions();
        options.Tools = tools is { Count: > 0 } ? [.. tools] : null;
        if (context.Request.MaxOutputTokens is long max)
        {
            long remaining = Math.Max(1, max - context.OutputTokensUsed);
            int cap = (int)Math.Min(int.MaxValue, remaining);
            options.MaxOutputTokens = options.MaxOutputTokens is int existing ? Math.Min(existing, cap) : cap;
        }

        ChatResponse response = await client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        context.RecordModelResponse(purpose, response, options.ModelId);
        return response;
    }

    public static ChatMessage Log(AgentRunContext context, ChatMessage message)
    {
        context.RecordMessage(message);
        return message;
    }
}
