using System.Collections.Concurrent;
using Agents.Samples.ChatApp.Hosting;
using Microsoft.Extensions.Options;

namespace Agents.Samples.ChatApp.Conversations;

/// <summary>Keeps the conversations in memory, up to <see cref="ChatAppLimits.MaxConversations"/>.</summary>
internal sealed class ConversationStore
{
    private readonly ConcurrentDictionary<string, Conversation> _conversations = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private readonly int _maxConversations;
    private readonly Lock _createGate = new();

    public ConversationStore(IOptions<ChatAppOptions> options, TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _maxConversations = options.Value.Limits.MaxConversations;
    }

    /// <summary>Creates a conversation, or returns <see langword="null"/> when the store is full.</summary>
    public Conversation? TryCreate()
    {
        lock (_createGate)
        {
            if (_conversations.Count >= _maxConversations)
            {
                return null;
            }

            var conversation = new Conversation(Guid.NewGuid().ToString("N"), "New chat", _timeProvider.GetUtcNow());
            _conversations[conversation.Id] = conversation;
            return conversation;
        }
    }

    public Conversation? Find(string id) => _conversations.TryGetValue(id, out var c) ? c : null;

    public bool Delete(string id)
    {
        if (_conversations.TryRemove(id, out var conversation))
        {
            conversation.Stop();
            return true;
        }

        return false;
    }

    public IReadOnlyList<Conversation> List() => [.. _conversations.Values.OrderBy(c => c.CreatedAt)];
}
