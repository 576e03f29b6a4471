using System.Collections.Concurrent;
using Agents.Conversations;

namespace Agents.Samples.ChatApp.Conversations;

/// <summary>
/// The app's conversations: their turns live in an <see cref="IConversationStore"/> (an SQLite file by default, grains
/// in cluster mode), so a restarted replica, or any other replica, serves them; the run in progress, if any, lives in
/// the replica that runs it.
/// </summary>
internal sealed class ConversationStore
{
    private readonly ConcurrentDictionary<string, Conversation> _live = new(StringComparer.Ordinal);
    private readonly IConversationStore _store;

    public ConversationStore(IConversationStore store) => _store = store;

    /// <summary>Creates a conversation, or returns <see langword="null"/> when the store is full.</summary>
    public async Task<Conversation?> TryCreateAsync(CancellationToken cancellationToken)
    {
        ConversationSummary? created = await _store.TryCreateAsync("New chat", cancellationToken).ConfigureAwait(false);
        if (created is null)
        {
            return null;
        }

        var conversation = new Conversation(created.Id, created.Title, created.CreatedAt, this);
        _live[conversation.Id] = conversation;
        return conversation;
    }

    /// <summary>Finds a conversation with its turns as stored now (another replica may have added some), or <see langword="null"/>.</summary>
    public async Task<Conversation?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 128)
        {
            return null;
        }

        if (_live.TryGetValue(id, out Conversation? running) && running.IsRunning)
        {
            return running; // this replica is adding to it: its memory is the newest
        }

        ConversationDocument? document = await _store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            _live.TryRemove(id, out _);
            return null;
        }

        Conversation conversation = _live.GetOrAdd(id, _ => new Conversation(document.Id, document.Title, document.CreatedAt, this));
        conversation.Load(document.Title, [.. document.Turns.Select(Read)]);
        return conversation;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 128)
        {
            return false;
        }

        if (_live.TryRemove(id, out Conversation? conversation))
        {
            conversation.Stop();
        }

        return await _store.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<(string Id, string Title, bool IsRunning)>> ListAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<ConversationSummary> all = await _store.ListAsync(cancellationToken).ConfigureAwait(false);
        return [.. all.Select(c => (c.Id, c.Title, _live.TryGetValue(c.Id, out Conversation? live) && live.IsRunning))];
    }

    /// <summary>Stores a turn (and the title a first question gives), before the conversation shows it.</summary>
    internal async Task SaveAsync(Conversation conversation, ChatTurn turn, string? newTitle, CancellationToken cancellationToken)
    {
        string payload = JsonSerializer.Serialize(turn, ApiJson.Options);
        if (!await _store.AppendAsync(conversation.Id, new ConversationTurn(turn.Role, payload), cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"Conversation {conversation.Id} was deleted.");
        }

        if (newTitle is not null)
        {
            await _store.SetTitleAsync(conversation.Id, newTitle, cancellationToken).ConfigureAwait(false);
        }
    }

    private static ChatTurn Read(ConversationTurn stored) =>
        JsonSerializer.Deserialize<ChatTurn>(stored.Payload, ApiJson.Options)
        ?? throw new InvalidDataException("A stored turn is empty.");
}
