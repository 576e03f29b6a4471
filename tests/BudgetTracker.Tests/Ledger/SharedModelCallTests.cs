namespace Agents.Budget.Tests.Ledger;

/// <summary>Model calls under a <see cref="BudgetOptions.SharedLedger"/>: the worst case held there, the actual usage committed.</summary>
public sealed class SharedModelCallTests
{
    private const string In = SharedLedgerCategories.InputTokens;
    private const string Out = SharedLedgerCategories.OutputTokens;
    private const string Cost = SharedLedgerCategories.CostMicroUsd;

    /// <summary>The org's budget: $1 per million input tokens and $2 per million output tokens make whole microdollars.</summary>
    private static BudgetTracker Org(long input = 1_000_000, long output = 1_000_000, long microUsd = 10_000_000) =>
        new(new BudgetOptions().SetToolLimit(In, input).SetToolLimit(Out, output).SetToolLimit(Cost, microUsd));

    private static BudgetTracker Worker(IBudgetLedger shared, long? maxOutputTokens = null)
    {
        var options = new BudgetOptions { SharedLedger = shared, MaxOutputTokens = maxOutputTokens };
        options.Pricing.SetDefaultModelPrice(1m, 2m);
        return new BudgetTracker(options);
    }

    private static BudgetCategorySnapshot Category(BudgetTracker org, string name) => org.GetSnapshot().GetCategory(name)!;

    private static UsageDetails Usage(long input, long output) => new() { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output };

    [Fact]
    public async Task The_worst_case_is_held_in_the_shared_ledger_and_only_the_actual_usage_is_committed()
    {
        BudgetTracker org = Org();
        BudgetTracker worker = Worker(new InProcessBudgetLedger(org));

        using BudgetModelReservation hold = await worker.ReserveModelCallAsync(100, 50, "m", cancellationToken: CancellationToken.None);

        Assert.True(hold.Granted);
        Assert.True(hold.IsShared);
        Assert.Equal((100, 50, 200), (Category(org, In).InFlight, Category(org, Out).InFlight, Category(org, Cost).InFlight));

        hold.Commit(Usage(40, 10));
        await hold.SharedLedgerSettled;

        Assert.Equal((40, 10, 60), (Category(org, In).Used, Category(org, Out).Used, Category(org, Cost).Used));
        Assert.Equal((0, 0, 0), (Category(org, In).InFlight, Category(org, Out).InFlight, Category(org, Cost).InFlight));
        Assert.Equal(0.00006m, worker.GetSnapshot().CostUsd);
    }

    [Fact]
    public async Task A_shared_denial_refuses_the_call_and_releases_both_the_local_hold_and_the_granted_categories()
    {
        BudgetTracker org = Org(output: 30);
        BudgetTracker worker = Worker(new InProcessBudgetLedger(org), maxOutputTokens: 50);

        BudgetModelReservation refused = await worker.ReserveModelCallAsync(100, 50, "m", cancellationToken: CancellationToken.None);

        Assert.False(refused.Granted);
        Assert.Contains("The shared tokens.output budget refused this model call", refused.DeniedReason, StringComparison.Ordinal);
        Assert.Equal((0, 0, 0), (Category(org, In).InFlight, Category(org, Out).InFlight, Category(org, Cost).InFlight));
        Assert.Equal(0, Category(org, In).Used);
        using BudgetModelReservation local = worker.TryReserveModelCall(100, 50, "m");
        Assert.True(local.Granted, "the local hold of the refused call was not released");
        Assert.Equal(50, local.MaxOutputTokens);
    }

    [Fact]
    public async Task An_unreachable_shared_ledger_refuses_the_call_with_a_clear_reason()
    {
        BudgetTracker worker = Worker(new UnreachableLedger(), maxOutputTokens: 50);

        BudgetModelReservation refused = await worker.ReserveModelCallAsync(10, 50, "m", cancellationToken: CancellationToken.None);

        Assert.False(refused.Granted);
        Assert.Contains("could not be reached, so the model call was not made (TimeoutException)", refused.DeniedReason, StringComparison.Ordinal);
        Assert.True(worker.TryReserveModelCall(10, 50, "m").Granted);
    }

    [Fact]
    public async Task A_release_gives_the_whole_worst_case_back_to_the_shared_ledger()
    {
        BudgetTracker org = Org();
        BudgetTracker worker = Worker(new InProcessBudgetLedger(org));

        BudgetModelReservation hold = await worker.ReserveModelCallAsync(100, 50, "m", cancellationToken: CancellationToken.None);
        hold.Dispose();
        await hold.SharedLedgerSettled;

        Assert.Equal((0, 0, 0), (Category(org, In).InFlight, Category(org, Out).InFlight, Category(org, Cost).InFlight));
        Assert.Equal((0, 0, 0), (Category(org, In).Used, Category(org, Out).Used, Category(org, Cost).Used));
    }

    [Fact]
    public async Task A_request_without_an_output_cap_is_capped_so_that_its_shared_worst_case_is_known()
    {
        BudgetTracker org = Org();
        BudgetTracker worker = Worker(new InProcessBudgetLedger(org));

        using BudgetModelReservation hold = await worker.ReserveModelCallAsync(10, null, "m", cancellationToken: CancellationToken.None);

        Assert.Equal(BudgetModelReservation.LargestUnrequestedOutputCap, hold.MaxOutputTokens);
        Assert.Equal(BudgetModelReservation.LargestUnrequestedOutputCap, hold.OutputCapFor(null));
        Assert.Equal(BudgetModelReservation.LargestUnrequestedOutputCap, Category(org, Out).InFlight);
    }

    [Fact]
    public async Task The_sync_reservation_stays_on_the_tracker_and_never_touches_the_shared_ledger()
    {
        BudgetTracker org = Org();
        BudgetTracker worker = Worker(new InProcessBudgetLedger(org), maxOutputTokens: 100);

        using BudgetModelReservation hold = worker.TryReserveModelCall(10, 50, "m");
        hold.Commit(Usage(10, 50));
        await hold.SharedLedgerSettled;

        Assert.False(hold.IsShared);
        Assert.Equal(50, worker.GetSnapshot().OutputTokens);
        Assert.Equal((0, 0), (Category(org, Out).Used, Category(org, Out).InFlight));
    }

    [Fact]
    public async Task Usage_beyond_the_reservation_is_counted_while_the_shared_cap_allows_it_and_never_beyond()
    {
        BudgetTracker org = Org(input: 150);
        BudgetTracker worker = Worker(new InProcessBudgetLedger(org));

        using BudgetModelReservation under = await worker.ReserveModelCallAsync(100, 10, "m", cancellationToken: CancellationToken.None);
        under.Commit(Usage(120, 10)); // the prompt was counted 20 tokens short
        await under.SharedLedgerSettled;
        Assert.Equal(120, Category(org, In).Used);

        using BudgetModelReservation again = await worker.ReserveModelCallAsync(20, 10, "m", cancellationToken: CancellationToken.None);
        again.Commit(Usage(50, 10)); // 30 beyond, but only 10 left under the cap
        await again.SharedLedgerSettled;
        Assert.Equal(140, Category(org, In).Used);
        Assert.Equal(0, Category(org, In).InFlight);
    }

    [Fact]
    public async Task A_ledger_without_partial_commits_is_charged_the_whole_worst_case()
    {
        BudgetTracker org = Org();
        BudgetTracker worker = Worker(new WholeCommitsOnly(new InProcessBudgetLedger(org)));

        using BudgetModelReservation hold = await worker.ReserveModelCallAsync(100, 50, "m", cancellationToken: CancellationToken.None);
        hold.Commit(Usage(40, 10));
        await hold.SharedLedgerSettled;

        Assert.Equal((100, 50, 200), (Category(org, In).Used, Category(org, Out).Used, Category(org, Cost).Used));
    }

    [Fact]
    public async Task A_child_tracker_reserves_in_its_parents_shared_ledger()
    {
        BudgetTracker org = Org();
        BudgetTracker child = Worker(new InProcessBudgetLedger(org)).CreateChild(new BudgetOptions { MaxOutputTokens = 100 });

        using BudgetModelReservation hold = await child.ReserveModelCallAsync(10, 50, "m", cancellationToken: CancellationToken.None);
        hold.Commit(Usage(10, 20));
        await hold.SharedLedgerSettled;

        Assert.True(hold.IsShared);
        Assert.Equal(20, Category(org, Out).Used);
    }

    [Fact]
    public async Task A_cancelled_reservation_throws_and_holds_nothing_anywhere()
    {
        BudgetTracker org = Org();
        var gate = new GatedLedger(new InProcessBudgetLedger(org));
        BudgetTracker worker = Worker(gate, maxOutputTokens: 50);
        using var cts = new CancellationTokenSource();

        Task<BudgetModelReservation> pending = worker.ReserveModelCallAsync(10, 50, "m", cancellationToken: cts.Token);
        await gate.Entered.Task;
        await cts.CancelAsync();
        gate.Open.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        Assert.Equal((0, 0, 0), (Category(org, In).InFlight, Category(org, Out).InFlight, Category(org, Cost).InFlight));
        Assert.True(worker.TryReserveModelCall(10, 50, "m").Granted);
    }

    [Fact]
    public async Task A_chat_client_on_a_tracker_with_only_a_shared_ledger_reserves_there_and_commits_the_reported_usage()
    {
        BudgetTracker org = Org();
        BudgetTracker worker = Worker(new InProcessBudgetLedger(org));
        var model = new ScriptedChatClient((_, options, _) =>
        {
            Assert.Equal(BudgetModelReservation.LargestUnrequestedOutputCap, options?.MaxOutputTokens);
            Assert.Equal(BudgetModelReservation.LargestUnrequestedOutputCap, Category(org, Out).InFlight);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, "hi")) { Usage = Usage(30, 7) };
        });
        using IChatClient client = new ChatClientBuilder(model).UseBudgetTracker(worker).Build();

        await client.GetResponseAsync("hello");
        await WaitForAsync(() => Category(org, Out).InFlight == 0);

        Assert.Single(model.Calls);
        Assert.Equal((30, 7, 44), (Category(org, In).Used, Category(org, Out).Used, Category(org, Cost).Used));
    }

    /// <summary>Waits for the background settlement of a reservation the caller cannot reach (bounded, not timed).</summary>
    private static async Task WaitForAsync(Func<bool> done)
    {
        for (int i = 0; i < 1000 && !done(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(done());
    }

    /// <summary>A ledger written before partial commits: it has only the interface's default for them.</summary>
    private sealed class WholeCommitsOnly(IBudgetLedger inner) : IBudgetLedger
    {
        public Task<BudgetLedgerReservation> ReserveAsync(string category, int units, TimeSpan lease, CancellationToken cancellationToken) =>
            inner.ReserveAsync(category, units, lease, cancellationToken);

        public Task<BudgetLedgerCommitStatus> CommitAsync(string reservationId, CancellationToken cancellationToken) => inner.CommitAsync(reservationId, cancellationToken);

        public Task<bool> ReleaseAsync(string reservationId, CancellationToken cancellationToken) => inner.ReleaseAsync(reservationId, cancellationToken);

        public Task<IReadOnlyList<BudgetCategorySnapshot>> GetSnapshotAsync(CancellationToken cancellationToken) => inner.GetSnapshotAsync(cancellationToken);
    }

    /// <summary>A ledger whose reservations wait for <see cref="Open"/>, then reserve whatever the caller's token says.</summary>
    private sealed class GatedLedger(IBudgetLedger inner) : IBudgetLedger
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<BudgetLedgerReservation> ReserveAsync(string category, int units, TimeSpan lease, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Open.Task;
            return await inner.ReserveAsync(category, units, lease, CancellationToken.None); // granted although the caller gave up
        }

        public Task<BudgetLedgerCommitStatus> CommitAsync(string reservationId, CancellationToken cancellationToken) => inner.CommitAsync(reservationId, cancellationToken);

        public Task<BudgetLedgerCommitStatus> CommitAsync(string reservationId, int usedUnits, CancellationToken cancellationToken) => inner.CommitAsync(reservationId, usedUnits, cancellationToken);

        public Task<bool> ReleaseAsync(string reservationId, CancellationToken cancellationToken) => inner.ReleaseAsync(reservationId, cancellationToken);

        public Task<IReadOnlyList<BudgetCategorySnapshot>> GetSnapshotAsync(CancellationToken cancellationToken) => inner.GetSnapshotAsync(cancellationToken);
    }
}
