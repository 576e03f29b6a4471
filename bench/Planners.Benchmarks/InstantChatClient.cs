using Microsoft.Extensions.AI;

namespace Agents.Planners.Benchmarks;

/// <summary>A model that answers instantly: first a search call, then the answer.</summary>
internal sealed class InstantChatClient : IChatClient
{
    private static readonly UsageDetails Usage = new() { InputTokenCount = 100, OutputTokenCount = 10 };

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        bool sawTool = messages.Any(m => m.Role == ChatRole.Tool);
        ChatMessage message = sawTool
            ? new ChatMessage(ChatRole.Assistant, "<answer>42</answer>")
            : new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "search", new Dictionary<string, object?> { ["queries"] = new[] { "a", "b" } })]);
        return Task.FromResult(new ChatResponse(message) { Usage = Usage });
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => throw new NotSupportedException("The benchmark does not stream.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
