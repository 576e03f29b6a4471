using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;

namespace Agents.Budget.Orleans.Tests;

[Collection(ClusterCollection.Name)]
public sealed class OrleansBudgetLedgerTests(ClusterFixture fixture)
{
    private static readonly TimeSpan LongLease = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task TenThousandRandomConcurrentReservations_FromManyClients_NeverOverrun_AndSpendEqualsCommittedUnits()
    {
        const int reservations = 10_000;
        const long limit = 12_000;
        const int workersPerClient = 8;
        string budget = "org-" + Guid.NewGuid().ToString("N");
        await new OrleansBudgetLedger(fixture.Clients[0], budget).SetLimitAsync("search", limit, CancellationToken.None);
        int workers = fixture.Clients.Count * workersPerClient;
        long committed = 0;
        long abandoned = 0;
        long denied = 0;
        long overruns = 0;
        int next = 0;

        Task[] tasks = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var ledger = new OrleansBudgetLedger(fixture.Clients[w % fixture.Clients.Count], budget);
            var random = new Random(4242 + w);
            while (Interlocked.Increment(ref next) <= reservations)
            {
                int units = random.Next(1, 6);
                int outcome = random.Next(10);
                TimeSpan lease = outcome == 0 ? TimeSpan.FromMilliseconds(random.Next(50, 500)) : LongLease;
                BudgetLedgerReservation r = await ledger.ReserveAsync("search", units, lease, CancellationToken.None);
                if (!r.Granted)
                {
                    Interlocked.Increment(ref denied);
                    continue;
                }

                if (outcome == 0)
                {
                    Interlocked.Add(ref abandoned, units);
                }
                else if (outcome <= 2)
                {
                    Assert.True(await ledger.ReleaseAsync(r.ReservationId!, CancellationToken.None));
                }
                else
                {
                    Assert.Equal(BudgetLedgerCommitStatus.Committed, await ledger.CommitAsync(r.ReservationId!, CancellationToken.None));
                    Interlocked.Add(ref committed, units);
                    if (outcome == 9)
                    {
                        // Under load many other commits may come between, so the grain may no longer remember this one
                        // (NotPending rather than AlreadyCommitted); either way it must not charge the units again.
                        Assert.NotEqual(BudgetLedgerCommitStatus.Committed, await ledger.CommitAsync(r.ReservationId!, CancellationToken.None));
                    }
                }

                if (outcome == 5)
                {
                    BudgetCategorySnapshot seen = await ledger.CategoryAsync("search");
                    if (seen.Used + seen.InFlight > limit)
                    {
                        Interlocked.Increment(ref overruns);
                    }
                }
            }
        })).ToArray();
        await Task.WhenAll(tasks);

        BudgetCategorySnapshot search = await new OrleansBudgetLedger(fixture.Clients[1], budget).CategoryAsync("search");
        Assert.Equal(0, overruns);
        Assert.True(search.Used <= limit, $"used {search.Used} over the limit {limit}");
        Assert.Equal(committed, search.Used);
        Assert.True(search.InFlight <= abandoned, $"in flight {search.InFlight}, abandoned {abandoned}");
        Assert.True(denied > 0, "the run never reached the limit");
    }

    [Fact]
    public async Task DuplicateCommit_FromAnotherClient_DoesNotDoubleSpend()
    {
        string budget = "dup-" + Guid.NewGuid().ToString("N");
        var first = new OrleansBudgetLedger(fixture.Clients[0], budget);
        var second = new OrleansBudgetLedger(fixture.Clients[2], budget);
        await first.SetLimitAsync("search", 10, CancellationToken.None);
        BudgetLedgerReservation r = await first.ReserveAsync("search", 6, LongLease, CancellationToken.None);

        Assert.Equal(BudgetLedgerCommitStatus.Committed, await first.CommitAsync(r.ReservationId!, CancellationToken.None));
        Assert.Equal(BudgetLedgerCommitStatus.AlreadyCommitted, await second.CommitAsync(r.ReservationId!, CancellationToken.None));
        Assert.Equal(BudgetLedgerCommitStatus.AlreadyCommitted, await first.CommitAsync(r.ReservationId!, CancellationToken.None));
        Assert.False(await second.ReleaseAsync(r.ReservationId!, CancellationToken.None));

        BudgetCategorySnapshot search = await second.CategoryAsync("search");
        Assert.Equal(6, search.Used);
        Assert.Equal(0, search.InFlight);
        Assert.Equal(4, search.Remaining);
        Assert.False((await second.ReserveAsync("search", 5, LongLease, CancellationToken.None)).Granted);
    }

    [Fact]
    public async Task ExpiredLease_IsReleased_AndItsLateCommitChargesNothing()
    {
        string budget = "lease-" + Guid.NewGuid().ToString("N");
        var ledger = new OrleansBudgetLedger(fixture.Clients[1], budget);
        await ledger.SetLimitAsync("browse", 5, CancellationToken.None);
        BudgetLedgerReservation leaked = await ledger.ReserveAsync("browse", 5, TimeSpan.FromMilliseconds(200), CancellationToken.None);
        Assert.True(leaked.Granted);
        Assert.False((await ledger.ReserveAsync("browse", 1, LongLease, CancellationToken.None)).Granted);

        BudgetCategorySnapshot browse = await ledger.CategoryAsync("browse");
        for (int i = 0; i < 100 && browse.InFlight > 0; i++)
        {
            await Task.Delay(100);
            browse = await ledger.CategoryAsync("browse");
        }

        Assert.Equal(0, browse.InFlight);
        Assert.Equal(0, browse.Used);
        Assert.Equal(BudgetLedgerCommitStatus.NotPending, await ledger.CommitAsync(leaked.ReservationId!, CancellationToken.None));
        Assert.True((await ledger.ReserveAsync("browse", 5, LongLease, CancellationToken.None)).Granted);
    }

    [Fact]
    public async Task State_SurvivesAGrainDeactivation()
    {
        string budget = "persist-" + Guid.NewGuid().ToString("N");
        var ledger = new OrleansBudgetLedger(fixture.Clients[0], budget);
        await ledger.SetLimitAsync("search", 10, CancellationToken.None);
        BudgetLedgerReservation done = await ledger.ReserveAsync("search", 3, LongLease, CancellationToken.None);
        Assert.Equal(BudgetLedgerCommitStatus.Committed, await ledger.CommitAsync(done.ReservationId!, CancellationToken.None));
        BudgetLedgerReservation held = await ledger.ReserveAsync("search", 2, LongLease, CancellationToken.None);

        IBudgetLedgerGrain grain = fixture.Clients[0].GetGrain<IBudgetLedgerGrain>(budget);
        await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await fixture.Cluster.WaitForDeactivationAsync(grain);

        var other = new OrleansBudgetLedger(fixture.Clients[3], budget);
        BudgetCategorySnapshot search = await other.CategoryAsync("search");
        Assert.Equal(3, search.Used);
        Assert.Equal(2, search.InFlight);
        Assert.Equal(10, search.Limit);
        Assert.Equal(BudgetLedgerCommitStatus.AlreadyCommitted, await other.CommitAsync(done.ReservationId!, CancellationToken.None));
        Assert.Equal(BudgetLedgerCommitStatus.Committed, await other.CommitAsync(held.ReservationId!, CancellationToken.None));
        Assert.Equal(5, (await other.CategoryAsync("search")).Used);
    }

    [Fact]
    public void AddOrleansBudgetLedger_RegistersTheLedgerOfTheBudget()
    {
        var services = new ServiceCollection();
        services.AddSingleton(fixture.Clients[0]);
        services.AddOrleansBudgetLedger("org");

        using ServiceProvider provider = services.BuildServiceProvider();
        OrleansBudgetLedger ledger = Assert.IsType<OrleansBudgetLedger>(provider.GetRequiredService<IBudgetLedger>());
        Assert.Equal("org", ledger.BudgetId);
    }
}
