namespace Agents.Budget.Tests.Ledger;

/// <summary><see cref="IBudgetLedger.CommitAsync(string, int, CancellationToken)"/> on the in-process ledger.</summary>
public sealed class InProcessPartialCommitTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static InProcessBudgetLedger Create(long limit, TimeProvider? time = null) =>
        new(new BudgetTracker(new BudgetOptions().SetToolLimit("tokens", limit)), time);

    private static async Task<BudgetCategorySnapshot> TokensAsync(IBudgetLedger ledger) =>
        Assert.Single(await ledger.GetSnapshotAsync(CancellationToken.None), c => c.Name == "tokens");

    [Fact]
    public async Task A_partial_commit_counts_the_used_units_and_gives_the_rest_back()
    {
        InProcessBudgetLedger ledger = Create(100);
        BudgetLedgerReservation r = await ledger.ReserveAsync("tokens", 80, Minute, CancellationToken.None);

        BudgetLedgerCommitStatus status = await ledger.CommitAsync(r.ReservationId!, 30, CancellationToken.None);

        Assert.Equal(BudgetLedgerCommitStatus.Committed, status);
        BudgetCategorySnapshot tokens = await TokensAsync(ledger);
        Assert.Equal((30, 0, 70), (tokens.Used, tokens.InFlight, tokens.Remaining!.Value));
        Assert.True((await ledger.ReserveAsync("tokens", 70, Minute, CancellationToken.None)).Granted);
    }

    [Fact]
    public async Task A_partial_commit_is_idempotent_by_reservation_id()
    {
        InProcessBudgetLedger ledger = Create(100);
        BudgetLedgerReservation r = await ledger.ReserveAsync("tokens", 50, Minute, CancellationToken.None);

        BudgetLedgerCommitStatus once = await ledger.CommitAsync(r.ReservationId!, 20, CancellationToken.None);
        BudgetLedgerCommitStatus twice = await ledger.CommitAsync(r.ReservationId!, 20, CancellationToken.None);
        BudgetLedgerCommitStatus whole = await ledger.CommitAsync(r.ReservationId!, CancellationToken.None);

        Assert.Equal(BudgetLedgerCommitStatus.Committed, once);
        Assert.Equal(BudgetLedgerCommitStatus.AlreadyCommitted, twice);
        Assert.Equal(BudgetLedgerCommitStatus.AlreadyCommitted, whole);
        Assert.Equal(20, (await TokensAsync(ledger)).Used);
    }

    [Fact]
    public async Task Zero_used_units_commit_nothing_but_settle_the_reservation()
    {
        InProcessBudgetLedger ledger = Create(10);
        BudgetLedgerReservation r = await ledger.ReserveAsync("tokens", 10, Minute, CancellationToken.None);

        Assert.Equal(BudgetLedgerCommitStatus.Committed, await ledger.CommitAsync(r.ReservationId!, 0, CancellationToken.None));
        Assert.False(await ledger.ReleaseAsync(r.ReservationId!, CancellationToken.None));
        BudgetCategorySnapshot tokens = await TokensAsync(ledger);
        Assert.Equal((0, 0), (tokens.Used, tokens.InFlight));
    }

    [Fact]
    public async Task More_units_than_reserved_or_fewer_than_none_are_refused_and_the_reservation_stays_pending()
    {
        InProcessBudgetLedger ledger = Create(100);
        BudgetLedgerReservation r = await ledger.ReserveAsync("tokens", 10, Minute, CancellationToken.None);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ledger.CommitAsync(r.ReservationId!, 11, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ledger.CommitAsync(r.ReservationId!, -1, CancellationToken.None));

        Assert.Equal(10, (await TokensAsync(ledger)).InFlight);
        Assert.Equal(BudgetLedgerCommitStatus.Committed, await ledger.CommitAsync(r.ReservationId!, 10, CancellationToken.None));
        Assert.Equal(10, (await TokensAsync(ledger)).Used);
    }

    [Fact]
    public async Task A_partial_commit_after_the_lease_ended_charges_nothing()
    {
        var time = new FakeTimeProvider();
        InProcessBudgetLedger ledger = Create(100, time);
        BudgetLedgerReservation r = await ledger.ReserveAsync("tokens", 10, Minute, CancellationToken.None);

        time.Advance(Minute);

        Assert.Equal(BudgetLedgerCommitStatus.NotPending, await ledger.CommitAsync(r.ReservationId!, 5, CancellationToken.None));
        BudgetCategorySnapshot tokens = await TokensAsync(ledger);
        Assert.Equal((0, 0), (tokens.Used, tokens.InFlight));
    }
}
