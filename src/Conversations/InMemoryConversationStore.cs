namespace Agents.Conversations;

/// <summary>Conversations in this process's memory: lost when it stops. For tests and throw-away servers.</summary>
public sealed class InMemoryConversationStore : IConversationStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _conversations = new(StringComparer.Ordinal);
    private readonly ConversationStoreOptions _options;
    private readonly TimeProvider _time;
    private long _order;

    /// <summary>Initializes a new instance of the <see cref="InMemoryConversationStore"/> class.</summary>
    /// <param name="options">Limits; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock of creation times; <see langword="null"/> for the system clock.</param>
    public InMemoryConversationStore(ConversationStoreOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new ConversationStoreOptions();
        _options.Validate();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public Task<ConversationSummary?> TryCreateAsync(string title, CancellationToken cancellationToken)
    {
        string clean = ConversationInput.NormalizeTitle(title, _options);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_conversations.Count >= _options.MaxConversations)
            {
                return Task.FromResult<ConversationSummary?>(null);
            }

            var entry = new Entry(Guid.NewGuid().ToString("N"), _time.GetUtcNow(), ++_order) { Title = clean };
            _conversations.Add(entry.Id, entry);
            return Task.FromResult<ConversationSummary?>(entry.Summary());
        }
    }

    /// <inheritdoc/>
    public Task<ConversationDocument?> GetAsync(string id, CancellationToken cancellationToken)
    {
        ConversationInput.ValidateId(id);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_conversations.TryGetValue(id, out Entry? e) ? new ConversationDocument(e.Id, e.Title, e.CreatedAt, [.. e.Turns]) : null);
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ConversationSummary>> ListAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ConversationSummary>>([.. _conversations.Values.OrderBy(e => e.Order).Select(e => e.Summary())]);
        }
    }

    /// <inheritdoc/>
    public Task<bool> AppendAsync(string id, ConversationTurn turn, CancellationToken cancellationToken)
    {
        ConversationInput.ValidateId(id);
        ConversationInput.ValidateTurn(turn, _options);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_conversations.TryGetValue(id, out Entry? e))
            {
                return Task.FromResult(false);
            }

            if (e.Turns.Count >= _options.MaxTurnsPerConversation)
            {
                throw ConversationInput.TurnLimitReached(id, _options.MaxTurnsPerConversation);
            }

            e.Turns.Add(turn);
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public Task<bool> SetTitleAsync(string id, string title, CancellationToken cancellationToken)
    {
        ConversationInput.ValidateId(id);
        string clean = ConversationInput.NormalizeTitle(title, _options);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_conversations.TryGetValue(id, out Entry? e))
            {
                return Task.FromResult(false);
            }

            e.Title = clean;
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        ConversationInput.ValidateId(id);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_conversations.Remove(id));
        }
    }

    private sealed class Entry(string id, DateTimeOffset createdAt, long order)
    {
        public string Id { get; } = id;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public long Order { get; } = order;

        public string Title { get; set; } = "";

        public List<ConversationTurn> Turns { get; } = [];

        public ConversationSummary Summary() => new(Id, Title, CreatedAt, Turns.Count);
    }
}
