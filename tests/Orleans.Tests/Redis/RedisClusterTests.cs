using Agents.Budget.Orleans.SiloHost;
using Agents.Cluster;
using Agents.Conversations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Agents.Budget.Orleans.Tests.Redis;

/// <summary>
/// Three silos as real processes, with membership and grain storage in a real redis-server on loopback: the shared
/// budget never overruns, a silo killed with SIGKILL mid-run loses no committed spend, and the leases of a worker
/// that died are released when they end.
/// </summary>
public sealed class RedisClusterTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task ThreeSiloProcesses_TenThousandRandomConcurrentReservations_FromManyClients_NeverOverrun()
    {
        string clusterId = "c-" + Guid.NewGuid().ToString("N");
        using Cluster cluster = await Cluster.StartAsync(redis.ConnectionString, clusterId);
        string budget = "org-" + Guid.NewGuid().ToString("N");
        const long limit = 12_000;
        await cluster.Ledger(0, budget).SetLimitAsync("search", limit, CancellationToken.None);

        Tally tally = await RunAsync(cluster, budget, reservations: 10_000, workersPerClient: 8, seed: 11, midRun: null);

        BudgetCategorySnapshot search = await WaitForNoLeasesAsync(cluster.Ledger(1, budget));
        Assert.Equal(tally.Committed, search.Used);
        Assert.True(search.Used <= limit, $"spent {search.Used} of {limit}");
        Assert.True(tally.Denied > 0, "the limit was never reached: the test did not exercise denial");
        Assert.Equal(0, tally.Overruns);
    }

    [Fact]
    public async Task SiloKilledMidRun_LosesNoCommittedSpend_AndLeasesOfADeadWorkerAreReleased()
    {
        string clusterId = "k-" + Guid.NewGuid().ToString("N");
        using Cluster cluster = await Cluster.StartAsync(redis.ConnectionString, clusterId);
        string budget = "org-" + Guid.NewGuid().ToString("N");
        await cluster.Ledger(0, budget).SetLimitAsync("search", 1_000_000, CancellationToken.None);

        // A worker process reserves 7 units and dies holding them.
        (SiloProcess worker, string line) = await SiloProcess.StartWorkerAsync(redis.ConnectionString, clusterId, budget, 7, leaseSeconds: 4);
        using (worker)
        {
            Assert.StartsWith("reserved", line, StringComparison.Ordinal);
            Assert.Equal(7, (await Search(cluster.Ledger(0, budget))).InFlight);
            worker.Kill();
        }

        // Half-way through, the silo that holds the budget grain is killed.
        int killedPort = 0;
        Tally tally = await RunAsync(cluster, budget, reservations: 3_000, workersPerClient: 6, seed: 23, midRun: async () =>
        {
            killedPort = await cluster.KillGrainSiloAsync(budget);
        });

        Assert.NotEqual(0, killedPort);
        BudgetCategorySnapshot search = await WaitForNoLeasesAsync(cluster.Ledger(2, budget));
        Assert.Equal(tally.Committed, search.Used);
        Assert.True(tally.Failures > 0, "no call failed: the kill did not hit the run");
    }

    [Fact]
    public async Task A_conversation_written_through_one_replica_is_read_through_another_after_its_silo_dies()
    {
        string clusterId = "v-" + Guid.NewGuid().ToString("N");
        using Cluster cluster = await Cluster.StartAsync(redis.ConnectionString, clusterId);
        var first = new OrleansConversationStore(cluster.Clients[0]);
        var second = new OrleansConversationStore(cluster.Clients[1]);
        ConversationSummary created = (await first.TryCreateAsync("shared", CancellationToken.None))!;
        Assert.True(await first.AppendAsync(created.Id, new ConversationTurn("user", "asked through replica one"), CancellationToken.None));
        Assert.Equal("asked through replica one", (await second.GetAsync(created.Id, CancellationToken.None))!.Turns.Single().Payload);

        await cluster.KillSiloHoldingAsync(cluster.Clients[0].GetGrain<IConversationGrain>("default/" + created.Id));

        Assert.True(await RetryAsync(() => second.AppendAsync(created.Id, new ConversationTurn("assistant", "answered through replica two"), CancellationToken.None)));
        ConversationDocument doc = (await RetryAsync(() => new OrleansConversationStore(cluster.Clients[2]).GetAsync(created.Id, CancellationToken.None)))!;
        Assert.Equal(["asked through replica one", "answered through replica two"], doc.Turns.Select(t => t.Payload));
    }

    [Fact]
    public async Task A_work_pool_finishes_after_one_of_its_worker_processes_is_killed_and_records_each_result_once()
    {
        string clusterId = "w-" + Guid.NewGuid().ToString("N");
        using Cluster cluster = await Cluster.StartAsync(redis.ConnectionString, clusterId);
        string poolId = "grid-" + Guid.NewGuid().ToString("N");
        var pool = new OrleansWorkPool(cluster.Clients[0], poolId);
        string[] keys = [.. Enumerable.Range(0, 40).Select(i => "cell-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        Assert.Equal(40, await pool.AddAsync(keys, CancellationToken.None));

        SiloProcess[] workers = await Task.WhenAll(
            SiloProcess.StartPoolWorkerAsync(redis.ConnectionString, clusterId, poolId, workMilliseconds: 250),
            SiloProcess.StartPoolWorkerAsync(redis.ConnectionString, clusterId, poolId, workMilliseconds: 250));
        using SiloProcess doomed = workers[0];
        using SiloProcess survivor = workers[1];
        string doomedSuffix = " by " + doomed.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string survivorSuffix = " by " + survivor.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // Kill the first worker once both have recorded results, most likely while it holds a claim.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        IReadOnlyDictionary<string, string> before;
        do
        {
            await Task.Delay(100);
            before = await pool.GetResultsAsync(CancellationToken.None);
        }
        while (!(before.Values.Any(v => v.EndsWith(doomedSuffix, StringComparison.Ordinal)) && before.Values.Any(v => v.EndsWith(survivorSuffix, StringComparison.Ordinal))) && DateTime.UtcNow < deadline);
        doomed.Kill();
        int doneAtKill = (await pool.GetResultsAsync(CancellationToken.None)).Count;
        Assert.True(doneAtKill < keys.Length, "the pool finished before the kill: nothing was tested");
        Assert.Equal(0, await survivor.WaitForExitAsync(TimeSpan.FromSeconds(120)));

        WorkPoolStatus status = await pool.GetStatusAsync(CancellationToken.None);
        Assert.True(status.IsFinished, $"{status}");
        IReadOnlyDictionary<string, string> results = await pool.GetResultsAsync(CancellationToken.None);
        Assert.Equal(keys.Order(), results.Keys.Order());
        Assert.True(results.Values.Count(v => v.EndsWith(survivorSuffix, StringComparison.Ordinal)) >= keys.Length - doneAtKill, "the survivor did not take over the rest");
        Assert.Equal(WorkCompletion.AlreadyRecorded, await pool.CompleteAsync(keys[0], "a late duplicate", CancellationToken.None));
        Assert.DoesNotContain("a late duplicate", (await pool.GetResultsAsync(CancellationToken.None)).Values);
    }

    private static async Task<BudgetCategorySnapshot> Search(IBudgetLedger ledger) =>
        (await ledger.GetSnapshotAsync(CancellationToken.None)).Single(c => c.Name == "search");

    private static async Task<BudgetCategorySnapshot> WaitForNoLeasesAsync(IBudgetLedger ledger)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            BudgetCategorySnapshot search = await RetryAsync(() => Search(ledger));
            if (search.InFlight == 0 || DateTime.UtcNow > deadline)
            {
                Assert.Equal(0, search.InFlight);
                return search;
            }

            await Task.Delay(250);
        }
    }

    private static async Task<T> RetryAsync<T>(Func<Task<T>> call)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (attempt < 60 && e is not Xunit.Sdk.XunitException)
            {
                await Task.Delay(500);
            }
        }
    }

    /// <summary>
    /// Random reserve → commit / release / abandon from every client; calls that fail (a silo died under them) are
    /// retried: a commit by the same id (idempotent), a reservation is given up (its lease, if it was granted, ends).
    /// </summary>
    private static async Task<Tally> RunAsync(Cluster cluster, string budget, int reservations, int workersPerClient, int seed, Func<Task>? midRun)
    {
        var tally = new Tally();
        int next = 0;
        int midRunStarted = 0;
        Task? midRunTask = null;
        int workers = cluster.Clients.Count * workersPerClient;
        Task[] tasks = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            IBudgetLedger ledger = cluster.Ledger(w % cluster.Clients.Count, budget);
            var random = new Random(seed + w);
            int n;
            while ((n = Interlocked.Increment(ref next)) <= reservations)
            {
                if (midRun is not null && n == reservations / 2 && Interlocked.Exchange(ref midRunStarted, 1) == 0)
                {
                    midRunTask = midRun();
                }

                int units = random.Next(1, 6);
                int outcome = random.Next(10);
                BudgetLedgerReservation r;
                try
                {
                    r = await ledger.ReserveAsync("search", units, outcome == 0 ? TimeSpan.FromSeconds(1) : Lease, CancellationToken.None);
                }
                catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                {
                    Interlocked.Increment(ref tally.Failures);
                    continue;
                }

                if (!r.Granted)
                {
                    Interlocked.Increment(ref tally.Denied);
                    continue;
                }

                if (outcome == 0)
                {
                    continue; // abandoned: the lease ends by itself
                }

                if (outcome <= 2)
                {
                    await RetryAsync(async () =>
                    {
                        try
                        {
                            return await ledger.ReleaseAsync(r.ReservationId!, CancellationToken.None);
                        }
                        catch (Exception)
                        {
                            Interlocked.Increment(ref tally.Failures);
                            throw;
                        }
                    });
                    continue;
                }

                BudgetLedgerCommitStatus status = await RetryAsync(async () =>
                {
                    try
                    {
                        return await ledger.CommitAsync(r.ReservationId!, CancellationToken.None);
                    }
                    catch (Exception)
                    {
                        Interlocked.Increment(ref tally.Failures);
                        throw;
                    }
                });

                // Committed, or AlreadyCommitted when an earlier attempt committed but its answer was lost with the silo;
                // NotPending only when the lease ended first: then nothing was spent.
                if (status is BudgetLedgerCommitStatus.Committed or BudgetLedgerCommitStatus.AlreadyCommitted)
                {
                    Interlocked.Add(ref tally.Committed, units);
                }

                if (random.Next(20) == 0)
                {
                    BudgetCategorySnapshot snapshot = await RetryAsync(() => Search(ledger));
                    if (snapshot.Limit is { } limit && snapshot.Used + snapshot.InFlight > limit)
                    {
                        Interlocked.Increment(ref tally.Overruns);
                    }
                }
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        if (midRunTask is not null)
        {
            await midRunTask;
        }

        return tally;
    }

    private sealed class Tally
    {
        public long Committed;
        public long Denied;
        public long Failures;
        public long Overruns;
    }

    /// <summary>Three silo processes and three cluster clients in this process.</summary>
    private sealed class Cluster : IDisposable
    {
        private readonly List<SiloProcess> _silos;
        private readonly List<IHost> _clientHosts;

        private Cluster(List<SiloProcess> silos, List<IHost> clientHosts)
        {
            _silos = silos;
            _clientHosts = clientHosts;
            Clients = clientHosts.Select(h => h.Services.GetRequiredService<IClusterClient>()).ToList();
        }

        public IReadOnlyList<IClusterClient> Clients { get; }

        public static async Task<Cluster> StartAsync(string redis, string clusterId)
        {
            var silos = new List<SiloProcess>();
            var hosts = new List<IHost>();
            try
            {
                // The first silo alone, then the other two together, so that the membership table starts clean.
                silos.Add(await SiloProcess.StartSiloAsync(redis, clusterId));
                silos.AddRange(await Task.WhenAll(SiloProcess.StartSiloAsync(redis, clusterId), SiloProcess.StartSiloAsync(redis, clusterId)));
                for (int i = 0; i < 3; i++)
                {
                    hosts.Add(await Worker.StartClientAsync(redis, clusterId));
                }

                return new Cluster(silos, hosts);
            }
            catch
            {
                silos.ForEach(s => s.Dispose());
                hosts.ForEach(h => h.Dispose());
                throw;
            }
        }

        public OrleansBudgetLedger Ledger(int client, string budget) => new(Clients[client], budget);

        /// <summary>Kills (SIGKILL) the silo process that holds the budget's grain; returns its silo port.</summary>
        public Task<int> KillGrainSiloAsync(string budget) => KillSiloHoldingAsync(Clients[0].GetGrain<IBudgetLedgerGrain>(budget));

        /// <summary>Kills (SIGKILL) the silo process that holds the grain; returns its silo port.</summary>
        public async Task<int> KillSiloHoldingAsync(IAddressable grain)
        {
            IManagementGrain management = Clients[0].GetGrain<IManagementGrain>(0);
            var address = await management.GetActivationAddress(grain);
            int port = address?.Endpoint.Port ?? throw new InvalidOperationException("The budget grain is not active anywhere.");
            SiloProcess silo = _silos.Single(s => s.SiloPort == port);
            silo.Kill();
            return port;
        }

        public void Dispose()
        {
            foreach (IHost host in _clientHosts)
            {
                try
                {
                    host.StopAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
                }
                catch (Exception)
                {
                }

                host.Dispose();
            }

            _silos.ForEach(s => s.Dispose());
        }
    }
}
