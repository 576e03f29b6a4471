using Agents.Conversations;

namespace Agents.Cluster;

/// <summary>
/// An <see cref="IConversationStore"/> whose conversations live in Orleans grains (one per conversation, plus an index),
/// persisted through the grain storage named <see cref="StorageName"/>: every replica of a cluster serves every
/// conversation, and a replica that restarts or dies loses none.
/// </summary>
/// <remarks>The silos need <c>AddAgentsCluster(redis)</c> (or grain storage named <see cref="StorageName"/>). Turn
/// counts in <see cref="ListAsync"/> are updated after each append and may lag an append whose silo died in between.</remarks>
public sealed class OrleansConversationStore : IConversationStore
{
    /// <summary>The name of the grain storage provider the conversation grains persist through.</summary>
    public const string StorageName = "conversations";

    private readonly IGrainFactory _grains;
    private readonly ConversationStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly IConversationIndexGrain _index;

    /// <summary>Initializes a new instance of the <see cref="OrleansConversationStore"/> class.</summary>
    /// <param name="grains">The grain factory: a cluster client, or a silo's.</param>
    /// <param name="options">Limits (the database path is not used); <see langword="null"/> for the defaults.</param>
    /// <param name="storeName">Names this store's conversation list; stores with the same name share it.</param>
    /// <param name="timeProvider">The clock of creation times; <see langword="null"/> for the system clock.</param>
    public OrleansConversationStore(IGrainFactory grains, ConversationStoreOptions? options = null, string storeName = "default", TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentException.ThrowIfNullOrWhiteSpace(storeName);
        _grains = grains;
        _options = options ?? new ConversationStoreOptions();
        _options.Validate();
        _time = timeProvider ?? TimeProvider.System;
        StoreName = storeName;
        _index = grains.GetGrain<IConversationIndexGrain>(storeName);
    }

    /// <summary>Gets the store name.</summary>
    public string StoreName { get; }

    /// <inheritdoc/>
    public async Task<ConversationSummary?> TryCreateAsync(string title, CancellationToken cancellationToken)
    {
        string clean = ConversationInput.NormalizeTitle(title, _options);
        string id = Guid.NewGuid().ToString("N");
        DateTimeOffset createdAt = _time.GetUtcNow();
        if (!await _index.TryAddAsync(new IndexEntry { Id = id, Title = clean, CreatedAt = createdAt }, _options.MaxConversations).WaitAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        try
        {
            await Grain(id).CreateAsync(clean, createdAt).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await _index.RemoveAsync(id).ConfigureAwait(false);
            throw;
        }

        return new ConversationSummary(id, clean, createdAt, 0);
    }

    /// <inheritdoc/>
    public async Task<ConversationDocument?> GetAsync(string id, CancellationToken cancellationToken)
    {
        ConversationInput.ValidateId(id);
        ConversationGrainState view = await Grain(id).GetAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return view.Exists
            ? new ConversationDocument(id, view.Title, view.CreatedAt, [.. view.Turns.Select(t => new ConversationTurn(t.Role, t.Payload))])
            : null;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ConversationSummary>> ListAsync(CancellationToken cancellationToken)
    {
        List<IndexEntry> entries = await _index.ListAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return [.. entries.Select(e => new ConversationSummary(e.Id, e.Title, e.CreatedAt, e.TurnCount))];
    }

    /// <inheritdoc/>
    public async Task<bool> AppendAsync(string id, ConversationTurn turn, CancellationToken cancellationToken)
    {
        ConversationInput.ValidateId(id);
        ConversationInput.ValidateTurn(turn, _options);
        int? count = await Grain(id).AppendAsync(new StoredTurn { Role = turn.Role, Payload = turn.Payload }, _options.MaxTurnsPerConversation).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (count is null)
        {
            return false;
        }

        if (count < 0)
        {
            throw ConversationInput.TurnLimitReached(id, _options.MaxTurnsPerConversation);
        }

        await _index.UpdateAsync(id, null, count).WaitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc/>
    public async Task<bool> SetTitleAsync(string id, string title, CancellationToken cancellationToken)
    {
        ConversationInput.ValidateId(id);
        string clean = ConversationInput.NormalizeTitle(title, _options);
        if (!await Grain(id).SetTitleAsync(clean).WaitAsync(cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        await _index.UpdateAsync(id, clean, null).WaitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc/>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        ConversationInput.ValidateId(id);
        bool deleted = await Grain(id).DeleteAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        await _index.RemoveAsync(id).WaitAsync(cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    private IConversationGrain Grain(string id) => _grains.GetGrain<IConversationGrain>(StoreName + "/" + id);
}
