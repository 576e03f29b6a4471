using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Agents.AgentFramework.Tests.Fakes.Planners;

/// <summary>A callback-driven IChatClient: each call is answered by the script; every call is recorded.</summary>
internal sealed class PlannerChatClient : IChatClient
{
    private readonly Func<ChatCall, CancellationToken, Task<ChatResponse>> _script;
    private readonly List<ChatCall> _calls = [];
    private readonly Lock _gate = new();

    public PlannerChatClient(Func<ChatCall, ChatResponse> script)
        : this((call, _) => Task.FromResult(script(call)))
    {
    }

    public PlannerChatClient(Func<ChatCall, CancellationToken, Task<ChatResponse>> script) => _script = script;

    public IReadOnlyList<ChatCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ChatCall call;
        lock (_gate)
        {
            call = new ChatCall(_calls.Count, [.. messages], options);
            _calls.Add(call);
        }

        return await _script(call, cancellationToken);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
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
