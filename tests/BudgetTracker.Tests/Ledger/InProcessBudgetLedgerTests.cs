namespace Agents.Budget.Tests.Ledger;

public sealed class InProcessBudgetLedgerTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static InProcessBudgetLedger Create(long searchLimit, TimeProvider? time = null) =>
        new(new BudgetTracker(new BudgetOptions().SetToolLimit("search", searchLimit)), time);

    [Fact]
    public async Task Reserve_GrantsWithinTheLimit_AndDeniesBeyondIt()
    {
        InProcessBudgetLedger ledger = Create(5);

        BudgetLedgerReservation first = await ledger.ReserveAsync("search", 3, Minute, CancellationToken.None);
        BudgetLedgerReservation second = await ledger.ReserveAsync(" Search ", 3, Minute, CancellationToken.None);

        Assert.True(first.Granted);
        Assert.NotNull(first.ReservationId);
        Assert.False(second.Granted);
        Assert.Null(second.ReservationId);
        Assert.Contains("search", second.DeniedReason, StringComparison.OrdinalIgnoreCase);
        BudgetCategorySnapshot search = Assert.Single(await ledger.GetSnapshotAsync(CancellationToken.None), c => c.Name == "search");
        Assert.Equal(3, search.InFlight);
        Assert.Equal(0, search.Used);
        Assert.Equal(5, search.Limit);
    }

    [Fact]
    public async Task Commit_IsIdempotentByReservationId()
    {
        InProcessBudgetLedger ledger = Create(10);
        BudgetLedgerReservation r = await ledger.ReserveAsync("search", 4, Minute, CancellationToken.None);

        BudgetLedgerCommitStatus once = await ledger.CommitAsync(r.ReservationId!, CancellationToken.None);
        BudgetLedgerCommitStatus twice = await ledger.CommitAsync(r.ReservationId!, CancellationToken.None);

        Assert.Equal(BudgetLedgerCommitStatus.Committed, once);
        Assert.Equal(BudgetLedgerCommitStatus.AlreadyCommitted, twice);
        BudgetCategorySnapshot search = Assert.Single(await ledger.GetSnapshotAsync(CancellationToken.None), c => c.Name == "search");
        Assert.Equal(4, search.Used);
        Assert.Equal(0, search.InFlight);
        Assert.False(await ledger.ReleaseAsync(r.ReservationId!, CancellationToken.None));
    }

    [Fact]
    public async Task Release_GivesTheUnitsBack_AndALaterCommitChargesNothing()
    {
        InProcessBudgetLedger ledger = Create(4);
        BudgetLedgerReservation r = await ledger.ReserveAsync("search", 4, Minute, CancellationToken.None);

        Assert.True(await ledger.ReleaseAsync(r.ReservationId!, CancellationToken.None));
        Assert.Equal(BudgetLedgerCommitStatus.NotPending, await ledger.CommitAsync(r.ReservationId!, CancellationToken.None));
        Assert.Equal(BudgetLedgerCommitStatus.NotPending, await ledger.CommitAsync("no-such-id", CancellationToken.None));

        Assert.True((await ledger.ReserveAsync("search", 4, Minute, CancellationToken.None)).Granted);
        Assert.Equal(0, (await ledger.GetSnapshotAsync(CancellationToken.None)).Single(c => c.Name == "search").Used);
    }

    [Fact]
    public async Task ExpiredLease_IsReleased_AndCannotBeCommitted()
    {
        var time = new FakeTimeProvider();
        InProcessBudgetLedger ledger = Create(5, time);
        BudgetLedgerReservation leaked = await ledger.ReserveAsync("search", 5, TimeSpan.FromSeconds(30), CancellationToken.None);
        BudgetLedgerReservation held = await ledger.ReserveAsync("other", 1, Timeout.InfiniteTimeSpan, CancellationToken.None);
        Assert.False((await ledger.ReserveAsync("search", 1, Minute, CancellationToken.None)).Granted);
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(30), leaked.ExpiresAt);
        Assert.Null(held.ExpiresAt);

        time.Advance(TimeSpan.FromSeconds(31));

        IReadOnlyList<BudgetCategorySnapshot> snapshot = await ledger.GetSnapshotAsync(CancellationToken.None);
        Assert.Equal(0, snapshot.Single(c => c.Name == "search").InFlight);
        Assert.Equal(1, snapshot.Single(c => c.Name == "other").InFlight);
        Assert.Equal(BudgetLedgerCommitStatus.NotPending, await ledger.CommitAsync(leaked.ReservationId!, CancellationToken.None));
        Assert.True((await ledger.ReserveAsync("search", 5, Minute, CancellationToken.None)).Granted);
        Assert.Equal(BudgetLedgerCommitStatus.Committed, await ledger.CommitAsync(held.ReservationId!, CancellationToken.None));
    }

    [Fact]
    public async Task Reserve_RejectsANonPositiveLease()
    {
        InProcessBudgetLedger ledger = Create(5);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ledger.ReserveAsync("search", 1, TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public async Task RandomConcurrentReservations_NeverOverspend_AndSpendEqualsCommittedUnits()
    {
        const long limit = 500;
        InProcessBudgetLedger ledger = Create(limit);
        long committed = 0;
        Task[] workers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var random = new Random(1000 + w);
            for (int i = 0; i < 500; i++)
            {
                int units = random.Next(1, 6);
                BudgetLedgerReservation r = await ledger.ReserveAsync("search", units, Minute, CancellationToken.None);
                if (!r.Granted)
                {
                    continue;
                }

                if (random.Next(3) == 0)
                {
                    await ledger.ReleaseAsync(r.ReservationId!, CancellationToken.None);
                }
                else if (await ledger.CommitAsync(r.ReservationId!, CancellationToken.None) == BudgetLedgerCommitStatus.Committed)
                {
                    Interlocked.Add(ref committed, units);
                    // Another worker may commit more than RememberedCommits in between: then NotPending; never a second charge.
                    Assert.NotEqual(BudgetLedgerCommitStatus.Committed, await ledger.CommitAsync(r.ReservationId!, CancellationToken.None));
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);

        BudgetCategorySnapshot search = (await ledger.GetSnapshotAsync(CancellationToken.None)).Single(c => c.Name == "search");
        Assert.True(search.Used <= limit);
        Assert.Equal(committed, search.Used);
        Assert.Equal(0, search.InFlight);
    }
}
