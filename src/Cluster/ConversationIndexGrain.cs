namespace Agents.Cluster;

/// <summary>The conversation list of one store, persisted in <see cref="OrleansConversationStore.StorageName"/>.</summary>
internal sealed class ConversationIndexGrain(
    [PersistentState("index", OrleansConversationStore.StorageName)] IPersistentState<ConversationIndexState> state) : Grain, IConversationIndexGrain
{
    public async Task<bool> TryAddAsync(IndexEntry entry, int maxConversations)
    {
        if (state.State.Entries.Count >= maxConversations)
        {
            return false;
        }

        state.State.Entries.Add(entry);
        await state.WriteStateAsync().ConfigureAwait(true);
        return true;
    }

    public async Task UpdateAsync(string id, string? title, int? turnCount)
    {
        IndexEntry? entry = state.State.Entries.Find(e => e.Id == id);
        if (entry is null)
        {
            return;
        }

        entry.Title = title ?? entry.Title;
        entry.TurnCount = turnCount ?? entry.TurnCount;
        await state.WriteStateAsync().ConfigureAwait(true);
    }

    public async Task RemoveAsync(string id)
    {
        if (state.State.Entries.RemoveAll(e => e.Id == id) > 0)
        {
            await state.WriteStateAsync().ConfigureAwait(true);
        }
    }

    public Task<List<IndexEntry>> ListAsync() => Task.FromResult(state.State.Entries.ToList());
}
