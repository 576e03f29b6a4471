namespace Agents.Hosting.Tests.Fakes;

/// <summary>A chat client whose replies a callback decides; counts the calls.</summary>
internal sealed class CallbackChatClient(Func<IReadOnlyList<ChatMessage>, ChatResponse> reply) : IChatClient
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public static ChatResponse Text(string text) => new(new ChatMessage(ChatRole.Assistant, text))
    {
        Usage = new UsageDetails { InputTokenCount = 40, OutputTokenCount = 8, TotalTokenCount = 48 },
    };

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult(reply([.. messages]));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The page summariser does not stream.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
