using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Agents.AgentFramework.SessionHost;

/// <summary>A scripted model: searches with two queries until a tool result came back in this turn, then answers.</summary>
public sealed class SearchingModel : IChatClient
{
    private int _calls;

    public List<List<ChatMessage>> Requests { get; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        List<ChatMessage> list = [.. messages];
        Requests.Add(list);
        int turn = _calls++;
        bool answered = list.Count > 0 && list[^1].Role == ChatRole.Tool;
        ChatMessage reply = answered || options?.Tools is not { Count: > 0 }
            ? new ChatMessage(ChatRole.Assistant, "Ada.")
            : new ChatMessage(ChatRole.Assistant, [new FunctionCallContent($"call-{turn}", "search", new Dictionary<string, object?> { ["queries"] = JsonDocument.Parse("[\"a\",\"b\"]").RootElement.Clone() })]);
        return Task.FromResult(new ChatResponse(reply) { Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 10 } });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ChatResponse response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (ChatResponseUpdate update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
