namespace Agents.Cluster;

/// <summary>Keeps one conversation in the grain storage named <see cref="OrleansConversationStore.StorageName"/>; every change is written before the caller gets its answer.</summary>
internal sealed class ConversationGrain(
    [PersistentState("conversation", OrleansConversationStore.StorageName)] IPersistentState<ConversationGrainState> state) : Grain, IConversationGrain
{
    public async Task<bool> CreateAsync(string title, DateTimeOffset createdAt)
    {
        if (state.State.Exists)
        {
            return false;
        }

        state.State = new ConversationGrainState { Exists = true, Title = title, CreatedAt = createdAt };
        await state.WriteStateAsync().ConfigureAwait(true);
        return true;
    }

    public Task<ConversationGrainState> GetAsync() => Task.FromResult(new ConversationGrainState
    {
        Exists = state.State.Exists,
        Title = state.State.Title,
        CreatedAt = state.State.CreatedAt,
        Turns = [.. state.State.Turns],
    });

    public async Task<int?> AppendAsync(StoredTurn turn, int maxTurns)
    {
        if (!state.State.Exists)
        {
            return null;
        }

        if (state.State.Turns.Count >= maxTurns)
        {
            return -1;
        }

        state.State.Turns.Add(turn);
        try
        {
            await state.WriteStateAsync().ConfigureAwait(true);
        }
        catch
        {
            state.State.Turns.RemoveAt(state.State.Turns.Count - 1);
            throw;
        }

        return state.State.Turns.Count;
    }

    public async Task<bool> SetTitleAsync(string title)
    {
        if (!state.State.Exists)
        {
            return false;
        }

        state.State.Title = title;
        await state.WriteStateAsync().ConfigureAwait(true);
        return true;
    }

    public async Task<bool> DeleteAsync()
    {
        if (!state.State.Exists)
        {
            return false;
        }

        await state.ClearStateAsync().ConfigureAwait(true);
        state.State = new ConversationGrainState();
        return true;
    }
}
