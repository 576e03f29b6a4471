using System.Runtime.CompilerServices;

namespace Agents.Samples.ChatApp.Tests.Fakes;

/// <summary>A chat client whose replies come from a test callback; streaming splits the reply into words.</summary>
internal sealed class ScriptedChatClient : IChatClient
{
    private readonly Func<IReadOnlyList<ChatMessage>, ChatOptions?, CancellationToken, Task<ChatResponse>> _reply;

    public ScriptedChatClient(Func<IReadOnlyList<ChatMessage>, ChatOptions?, ChatResponse> reply) => _reply = (m, o, _) => Task.FromResult(reply(m, o));

    public ScriptedChatClient(Func<IReadOnlyList<ChatMessage>, ChatOptions?, CancellationToken, Task<ChatResponse>> reply) => _reply = reply;

    public List<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> Calls { get; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        lock (Calls) Calls.Add((list, options));
        return _reply(list, options, cancellationToken);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        var text = response.Text;
        var start = 0;
        while (start < text.Length)
        {
            var next = text.IndexOf(' ', start + 1);
            var end = next < 0 ? text.Length : next;
            yield return new ChatResponseUpdate(ChatRole.Assistant, text[start..end]);
            start = end;
        }

        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList<AIContent>();
        if (calls.Count > 0)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, calls);
        }

        var last = new ChatResponseUpdate { Role = ChatRole.Assistant, FinishReason = response.FinishReason ?? ChatFinishReason.Stop };
        if (response.Usage is { } usage)
        {
            last.Contents.Add(new UsageContent(usage));
        }

        yield return last;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
