using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Agents.AgentFramework.Tests.Fakes;

/// <summary>A callback-driven model: each call gets the messages, the options and its 0-based index.</summary>
internal sealed class ScriptedChatClient : IChatClient
{
    private readonly Func<IReadOnlyList<ChatMessage>, ChatOptions?, int, ChatResponse> _script;
    private readonly Lock _gate = new();

    public ScriptedChatClient(Func<IReadOnlyList<ChatMessage>, ChatOptions?, int, ChatResponse> script) => _script = script;

    public List<(List<ChatMessage> Messages, ChatOptions? Options)> Calls { get; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Next(messages, options));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ChatResponse response = Next(messages, options);
        UsageDetails? usage = response.Usage;
        response.Usage = null;
        foreach (ChatResponseUpdate update in response.ToChatResponseUpdates())
        {
            await Task.Yield();
            yield return update;
        }

        if (usage is not null)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(usage)]) { ModelId = response.ModelId, ResponseId = response.ResponseId };
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    private ChatResponse Next(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        List<ChatMessage> copy = [.. messages];
        int index;
        lock (_gate)
        {
            index = Calls.Count;
            Calls.Add((copy, options));
        }

        return _script(copy, options, index);
    }
}
