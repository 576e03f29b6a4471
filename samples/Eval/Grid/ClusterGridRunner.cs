using System.Security.Cryptography;
using System.Text.Json;
using Agents.Cluster;

namespace Agents.Samples.Eval.Grid;

/// <summary>
/// Runs a grid together with the other workers of a cluster: every worker adds all (item, strategy, budget) cells to
/// one <see cref="OrleansWorkPool"/>, claims cells under a lease it renews while the cell runs, and completes each
/// with its JSON row (the first row of a cell wins). Every row recorded by any worker is appended once to this
/// worker's results journal, and the run ends when the pool is finished. A worker that dies loses its claims when
/// their lease ends, and another worker runs those cells.
/// </summary>
internal sealed class ClusterGridRunner
{
    private readonly GridRunner _runner;
    private readonly OrleansWorkPool _pool;
    private readonly ResultsJournal _journal;
    private readonly string _worker;
    private readonly TimeSpan _lease;
    private readonly int _parallelism;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _journalGate = new(1, 1);

    public ClusterGridRunner(GridRunner runner, OrleansWorkPool pool, ResultsJournal journal, string worker, TimeSpan lease, int parallelism, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentException.ThrowIfNullOrWhiteSpace(worker);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        _runner = runner;
        _pool = pool;
        _journal = journal;
        _worker = worker;
        _lease = lease;
        _parallelism = parallelism;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ClusterGridRunner>();
    }

    /// <summary>Raised after this worker ran a cell and its row was recorded in the pool (from worker threads).</summary>
    public event EventHandler<EvalResult>? ResultRecorded;

    /// <summary>The pool id of a grid: the dataset's name and items, the strategies and the budgets.</summary>
    public static string PoolId(string datasetName, IReadOnlyList<EvalItem> items, IReadOnlyList<string> strategies, IReadOnlyList<int> budgets)
    {
        ArgumentNullException.ThrowIfNull(items);
        string itemIds = string.Join('\n', items.Select(i => i.Id));
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(itemIds)))[..12];
        return string.Create(CultureInfo.InvariantCulture, $"eval/{datasetName}/{items.Count} items {hash}/{string.Join(',', strategies)}/{string.Join(',', budgets)}");
    }

    /// <summary>The pool key of one cell.</summary>
    public static string CellKey(string strategy, int budget, string id) => JsonSerializer.Serialize(new CellKeyParts(strategy, budget, id));

    /// <summary>Runs cells until every cell of the grid has a row in the pool, and this worker's journal has them all.</summary>
    /// <exception cref="EvalAbortedException">A cell cannot run (the model is down); its claim is given back first.</exception>
    public async Task<ClusterGridSummary> RunAsync(IReadOnlyList<EvalItem> items, IReadOnlyList<IEvalStrategy> strategies, IReadOnlyList<int> budgets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(strategies);
        ArgumentNullException.ThrowIfNull(budgets);
        var cells = new Dictionary<string, (EvalItem Item, IEvalStrategy Strategy, int Budget)>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            foreach (var strategy in strategies)
            {
                foreach (int budget in budgets.Distinct())
                {
                    cells[CellKey(strategy.Name, budget, item.Id)] = (item, strategy, budget);
                }
            }
        }

        int added = await RetryAsync(ct => _pool.AddAsync(cells.Keys, ct), cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Work pool {Pool}: {Cells} cells, {Added} new.", _pool.PoolId, cells.Count, added);

        // Rows this worker already has (a resumed single-process run) count for the whole cluster.
        foreach (var row in _journal.Results)
        {
            string key = CellKey(row.Strategy, row.Budget, row.Id);
            if (cells.ContainsKey(key))
            {
                await RetryAsync(ct => _pool.CompleteAsync(key, ResultsJournal.Serialize(row), ct), cancellationToken).ConfigureAwait(false);
            }
        }

        int ranHere = 0;
        int before = _journal.Results.Count;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loops = Enumerable.Range(0, _parallelism).Select(_ => Task.Run(async () =>
        {
            try
            {
                await WorkAsync(stop.Token).ConfigureAwait(false);
            }
            catch
            {
                // One worker loop failing (the model is down) stops the others.
                await stop.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }, stop.Token)).ToList();
        await Task.WhenAll(loops).ConfigureAwait(false);

        await SyncJournalAsync(cancellationToken).ConfigureAwait(false);
        int appended = _journal.Results.Count - before;
        return new ClusterGridSummary(cells.Count, ranHere, appended - ranHere);

        async Task WorkAsync(CancellationToken token)
        {
            while (true)
            {
                token.ThrowIfCancellationRequested();
                WorkClaim? claim = await RetryAsync(ct => _pool.ClaimAsync(_worker, _lease, ct), token).ConfigureAwait(false);
                if (claim is null)
                {
                    if ((await RetryAsync(_pool.GetStatusAsync, token).ConfigureAwait(false)).IsFinished)
                    {
                        return;
                    }

                    // Other workers hold the rest: wait for them to finish, or for a dead one's lease to end.
                    await SyncJournalAsync(token).ConfigureAwait(false);
                    await Task.Delay(PollInterval, _time, token).ConfigureAwait(false);
                    continue;
                }

                if (!cells.TryGetValue(claim.Key, out var cell))
                {
                    throw new InvalidOperationException($"The work pool {_pool.PoolId} holds a cell this worker does not know: {claim.Key}.");
                }

                EvalResult row = await RunClaimedAsync(claim, cell.Item, cell.Strategy, cell.Budget, token).ConfigureAwait(false);
                WorkCompletion completion = await RetryAsync(ct => _pool.CompleteAsync(claim.Key, ResultsJournal.Serialize(row), ct), CancellationToken.None).ConfigureAwait(false);
                if (completion == WorkCompletion.Recorded)
                {
                    await AppendOnceAsync(row).ConfigureAwait(false);
                    Interlocked.Increment(ref ranHere);
                    ResultRecorded?.Invoke(this, row);
                }
                else
                {
                    _logger.LogInformation("Cell {Key} was already recorded by another worker; this worker's row is dropped.", claim.Key);
                }
            }
        }
    }

    /// <summary>How long pool calls are retried while the cluster is unavailable (a dead worker being noticed).</summary>
    private static TimeSpan RetryFor => TimeSpan.FromMinutes(3);

    private TimeSpan PollInterval => TimeSpan.FromTicks(Math.Clamp(_lease.Ticks / 4, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(5).Ticks));

    private async Task<EvalResult> RunClaimedAsync(WorkClaim claim, EvalItem item, IEvalStrategy strategy, int budget, CancellationToken cancellationToken)
    {
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task renewal = RenewAsync(claim, renewing.Token);
        try
        {
            return await _runner.RunCellAsync(item, strategy, budget, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Give the cell back at once for another worker (or a rerun), instead of waiting for the lease to end.
            await renewing.CancelAsync().ConfigureAwait(false);
            try
            {
                await _pool.ReleaseAsync(claim, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or OrleansException)
            {
                _logger.LogWarning(ex, "Could not give back cell {Key}; its lease ends at {ExpiresAt}.", claim.Key, claim.ExpiresAt);
            }

            throw;
        }
        finally
        {
            await renewing.CancelAsync().ConfigureAwait(false);
            await renewal.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task RenewAsync(WorkClaim claim, CancellationToken cancellationToken)
    {
        var every = TimeSpan.FromTicks(_lease.Ticks / 3);
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(every, _time, cancellationToken).ConfigureAwait(false);
            bool held;
            try
            {
                held = await _pool.RenewAsync(claim, _lease, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                _logger.LogWarning("Could not renew the claim on cell {Key} ({Error}); trying again.", claim.Key, ex.Message);
                continue;
            }

            if (!held)
            {
                _logger.LogWarning("Lost the claim on cell {Key}; the first row recorded for it wins.", claim.Key);
                return;
            }
        }
    }

    /// <summary>
    /// Calls the pool, retrying while the cluster is unavailable: after a worker dies, calls to the pool grain fail
    /// until the others declare it dead and the grain moves. Gives up after <see cref="RetryFor"/>.
    /// </summary>
    private async Task<T> RetryAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        long start = _time.GetTimestamp();
        while (true)
        {
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                if (_time.GetElapsedTime(start) > RetryFor)
                {
                    throw new EvalAbortedException($"The cluster's work pool did not answer for {RetryFor.TotalMinutes:0} minutes: {ex.Message}", ex);
                }

                _logger.LogWarning("The work pool is unavailable ({Error}); retrying.", ex.Message);
                await Task.Delay(PollInterval, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Appends every row the pool has and this journal lacks.</summary>
    private async Task SyncJournalAsync(CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, string> results = await RetryAsync(_pool.GetResultsAsync, cancellationToken).ConfigureAwait(false);
        foreach (string json in results.Values)
        {
            if (ResultsJournal.TryDeserialize(json) is { } row)
            {
                await AppendOnceAsync(row).ConfigureAwait(false);
            }
            else
            {
                _logger.LogWarning("The work pool {Pool} holds a result that is not a row: {Json}", _pool.PoolId, json);
            }
        }
    }

    private async Task AppendOnceAsync(EvalResult row)
    {
        await _journalGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_journal.Contains(row.Strategy, row.Budget, row.Id))
            {
                await _journal.AppendAsync(row).ConfigureAwait(false);
            }
        }
        finally
        {
            _journalGate.Release();
        }
    }

    private sealed record CellKeyParts(string Strategy, int Budget, string Id);
}
