namespace Agents.Cluster;

/// <summary>
/// Work spread over the workers of a cluster (an Eval grid's cells, for example): each item goes to one worker at a
/// time under a lease; when a worker dies its lease ends and another worker takes the item; each item's first result
/// is recorded once, so a retried or duplicated completion never counts twice. The pool persists in Redis with the
/// rest of the cluster (<c>AddAgentsCluster</c>), so a finished item is never run again after any restart.
/// </summary>
public sealed class OrleansWorkPool
{
    /// <summary>The name of the grain storage provider the pools persist through.</summary>
    public const string StorageName = "work";

    private readonly IWorkPoolGrain _grain;

    /// <summary>Initializes a new instance of the <see cref="OrleansWorkPool"/> class.</summary>
    /// <param name="grains">The grain factory: a cluster client, or a silo's.</param>
    /// <param name="poolId">The pool id; every worker of one grid uses the same.</param>
    public OrleansWorkPool(IGrainFactory grains, string poolId)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentException.ThrowIfNullOrWhiteSpace(poolId);
        PoolId = poolId;
        _grain = grains.GetGrain<IWorkPoolGrain>(poolId);
    }

    /// <summary>Gets the pool id.</summary>
    public string PoolId { get; }

    /// <summary>Adds items; keys the pool already has (waiting, claimed or done) are ignored, so every worker may add the whole grid.</summary>
    /// <param name="keys">The item keys.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>How many keys were new.</returns>
    public Task<int> AddAsync(IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        List<string> list = [.. keys];
        foreach (string key in list)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(key, nameof(keys));
        }

        return _grain.AddAsync(list).WaitAsync(cancellationToken);
    }

    /// <summary>Claims the first item nobody holds.</summary>
    /// <param name="worker">Names the worker, for diagnostics.</param>
    /// <param name="lease">How long the claim lasts unless renewed or completed.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The claim, or <see langword="null"/> when every item is done or held by a live claim.</returns>
    public async Task<WorkClaim?> ClaimAsync(string worker, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(worker);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        ClaimView? view = await _grain.ClaimAsync(worker, lease).WaitAsync(cancellationToken).ConfigureAwait(false);
        return view is null ? null : new WorkClaim(view.Key, view.ClaimId, view.ExpiresAt);
    }

    /// <summary>Extends a claim while the work goes on.</summary>
    /// <param name="claim">The claim.</param>
    /// <param name="lease">The new lease from now.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns><see langword="false"/> when the claim was lost (it expired and another worker took the item, or the item is done).</returns>
    public Task<bool> RenewAsync(WorkClaim claim, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        return _grain.RenewAsync(claim.Key, claim.ClaimId, lease).WaitAsync(cancellationToken);
    }

    /// <summary>Gives an item back without a result, for another worker (or a later claim) to run.</summary>
    /// <param name="claim">The claim.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns><see langword="false"/> when the claim was no longer held.</returns>
    public Task<bool> ReleaseAsync(WorkClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return _grain.ReleaseAsync(claim.Key, claim.ClaimId).WaitAsync(cancellationToken);
    }

    /// <summary>Records an item's result (the first one wins; safe to retry).</summary>
    /// <param name="key">The item key.</param>
    /// <param name="result">The result, as the application serializes it.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>What happened to the result.</returns>
    public Task<WorkCompletion> CompleteAsync(string key, string result, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(result);
        return _grain.CompleteAsync(key, result).WaitAsync(cancellationToken);
    }

    /// <summary>Counts waiting, claimed and done items.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The status.</returns>
    public Task<WorkPoolStatus> GetStatusAsync(CancellationToken cancellationToken) => _grain.GetStatusAsync().WaitAsync(cancellationToken);

    /// <summary>Reads every recorded result by key.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The results.</returns>
    public async Task<IReadOnlyDictionary<string, string>> GetResultsAsync(CancellationToken cancellationToken) =>
        await _grain.GetResultsAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
}
