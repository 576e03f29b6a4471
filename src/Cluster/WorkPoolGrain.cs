using System.Globalization;

namespace Agents.Cluster;

/// <summary>
/// A work pool persisted in the grain storage
/// <see cref="OrleansWorkPool.StorageName"/>: an item goes to one worker at a time for a lease; a worker that dies
/// lets its lease expire and the item goes to another; the first result of each item is recorded, once.
/// </summary>
internal sealed class WorkPoolGrain(
    [PersistentState("queue", OrleansWorkPool.StorageName)] IPersistentState<WorkPoolGrainState> state,
    TimeProvider time) : Grain, IWorkPoolGrain
{
    private WorkPoolGrainState State => state.State;

    public async Task<int> AddAsync(List<string> keys)
    {
        var known = new HashSet<string>(State.Keys, StringComparer.Ordinal);
        int added = 0;
        foreach (string key in keys)
        {
            if (known.Add(key))
            {
                State.Keys.Add(key);
                added++;
            }
        }

        if (added > 0)
        {
            await state.WriteStateAsync().ConfigureAwait(true);
        }

        return added;
    }

    public async Task<ClaimView?> ClaimAsync(string worker, TimeSpan lease)
    {
        DateTimeOffset now = time.GetUtcNow();
        foreach (string key in State.Keys)
        {
            if (State.Results.ContainsKey(key) || (State.Claims.TryGetValue(key, out WorkClaimState? held) && held.ExpiresAt > now))
            {
                continue;
            }

            var claim = new WorkClaimState
            {
                ClaimId = string.Create(CultureInfo.InvariantCulture, $"{++State.Sequence}"),
                Worker = worker,
                ExpiresAt = now + lease,
            };
            State.Claims[key] = claim;
            await state.WriteStateAsync().ConfigureAwait(true);
            return new ClaimView { Key = key, ClaimId = claim.ClaimId, ExpiresAt = claim.ExpiresAt };
        }

        return null;
    }

    public async Task<bool> RenewAsync(string key, string claimId, TimeSpan lease)
    {
        if (!State.Claims.TryGetValue(key, out WorkClaimState? claim) || claim.ClaimId != claimId || State.Results.ContainsKey(key))
        {
            return false;
        }

        claim.ExpiresAt = time.GetUtcNow() + lease;
        await state.WriteStateAsync().ConfigureAwait(true);
        return true;
    }

    public async Task<bool> ReleaseAsync(string key, string claimId)
    {
        if (!State.Claims.TryGetValue(key, out WorkClaimState? claim) || claim.ClaimId != claimId)
        {
            return false;
        }

        State.Claims.Remove(key);
        await state.WriteStateAsync().ConfigureAwait(true);
        return true;
    }

    public async Task<WorkCompletion> CompleteAsync(string key, string result)
    {
        if (State.Results.ContainsKey(key))
        {
            return WorkCompletion.AlreadyRecorded;
        }

        if (!State.Keys.Contains(key, StringComparer.Ordinal))
        {
            return WorkCompletion.UnknownKey;
        }

        State.Results[key] = result;
        State.Claims.Remove(key);
        await state.WriteStateAsync().ConfigureAwait(true);
        return WorkCompletion.Recorded;
    }

    public Task<WorkPoolStatus> GetStatusAsync()
    {
        DateTimeOffset now = time.GetUtcNow();
        int done = State.Results.Count;
        int claimed = State.Claims.Count(c => c.Value.ExpiresAt > now && !State.Results.ContainsKey(c.Key));
        return Task.FromResult(new WorkPoolStatus(State.Keys.Count - done - claimed, claimed, done));
    }

    public Task<Dictionary<string, string>> GetResultsAsync() => Task.FromResult(new Dictionary<string, string>(State.Results, StringComparer.Ordinal));
}
