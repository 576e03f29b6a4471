namespace Agents.Samples.ChatApp.Agents;

/// <summary>Calls back after every model response, so that a workflow without events of its own can be followed.</summary>
internal sealed class ObservedChatClient : DelegatingChatClient
{
    private readonly Func<IEnumerable<ChatMessage>, ChatOptions?, CancellationToken, Task> _responded;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The model.</param>
    /// <param name="responded">Runs after each response with that call's messages and options.</param>
    public ObservedChatClient(IChatClient inner, Func<IEnumerable<ChatMessage>, ChatOptions?, CancellationToken, Task> responded)
        : base(inner) => _responded = responded;

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        await _responded(messages, options, cancellationToken).ConfigureAwait(false);
        return response;
    }
}
