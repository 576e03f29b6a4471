using Microsoft.Extensions.AI;

namespace Agents.Budget.Orleans.Tests;

/// <summary>Partial commits on the budget grain, and model calls of trackers in every client under one grain's token and money caps.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SharedModelCallGrainTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task A_partial_commit_counts_the_used_units_releases_the_rest_and_is_idempotent()
    {
        var ledger = new OrleansBudgetLedger(fixture.Clients[0], "partial-" + Guid.NewGuid().ToString("N"));
        var other = new OrleansBudgetLedger(fixture.Clients[2], ledger.BudgetId);
        await ledger.SetLimitAsync("tokens", 100, CancellationToken.None);
        BudgetLedgerReservation r = await ledger.ReserveAsync("tokens", 80, Lease, CancellationToken.None);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ledger.CommitAsync(r.ReservationId!, 81, CancellationToken.None));
        Assert.Equal(80, (await ledger.CategoryAsync("tokens")).InFlight);

        Assert.Equal(BudgetLedgerCommitStatus.Committed, await ledger.CommitAsync(r.ReservationId!, 30, CancellationToken.None));
        Assert.Equal(BudgetLedgerCommitStatus.AlreadyCommitted, await other.CommitAsync(r.ReservationId!, 30, CancellationToken.None));
        Assert.Equal(BudgetLedgerCommitStatus.AlreadyCommitted, await other.CommitAsync(r.ReservationId!, CancellationToken.None));
        Assert.False(await other.ReleaseAsync(r.ReservationId!, CancellationToken.None));

        BudgetCategorySnapshot tokens = await other.CategoryAsync("tokens");
        Assert.Equal((30, 0, 70), (tokens.Used, tokens.InFlight, tokens.Remaining!.Value));
        Assert.Equal(BudgetLedgerCommitStatus.NotPending, await ledger.CommitAsync("not-a-reservation", 1, CancellationToken.None));
    }

    [Fact]
    public async Task Trackers_on_every_client_make_model_calls_under_one_grains_token_and_money_caps()
    {
        string budget = "models-" + Guid.NewGuid().ToString("N");
        var admin = new OrleansBudgetLedger(fixture.Clients[0], budget);
        const long inCap = 3_000, outCap = 1_500, moneyCap = 5_000;
        await admin.SetLimitAsync(SharedLedgerCategories.InputTokens, inCap, CancellationToken.None);
        await admin.SetLimitAsync(SharedLedgerCategories.OutputTokens, outCap, CancellationToken.None);
        await admin.SetLimitAsync(SharedLedgerCategories.CostMicroUsd, moneyCap, CancellationToken.None);
        BudgetTracker[] trackers = [.. fixture.Clients.Select(c =>
        {
            var options = new BudgetOptions { SharedLedger = new OrleansBudgetLedger(c, budget) };
            options.Pricing.SetDefaultModelPrice(1m, 2m); // whole microdollars: input + 2 x output
            return new BudgetTracker(options);
        })];
        int refused = 0;

        await Task.WhenAll(trackers.Select((t, i) => Task.Run(async () =>
        {
            var random = new Random(31 + i);
            for (int call = 0; call < 25; call++)
            {
                using BudgetModelReservation hold = await t.ReserveModelCallAsync(random.Next(1, 200), random.Next(1, 100), "m", cancellationToken: CancellationToken.None);
                if (!hold.Granted)
                {
                    Interlocked.Increment(ref refused);
                    continue;
                }

                long input = random.NextInt64(0, hold.PromptTokens + 1), output = random.NextInt64(0, hold.ReservedOutputTokens + 1);
                hold.Commit(new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output });
                await hold.SharedLedgerSettled;
            }
        })));

        BudgetCategorySnapshot input = await admin.CategoryAsync(SharedLedgerCategories.InputTokens);
        BudgetCategorySnapshot output = await admin.CategoryAsync(SharedLedgerCategories.OutputTokens);
        BudgetCategorySnapshot money = await admin.CategoryAsync(SharedLedgerCategories.CostMicroUsd);
        Assert.True(refused > 0, "the caps were never reached");
        Assert.True(input.Used <= inCap && output.Used <= outCap && money.Used <= moneyCap, $"overrun: {input.Used}/{inCap}, {output.Used}/{outCap}, {money.Used}/{moneyCap}");
        Assert.Equal((0, 0, 0), (input.InFlight, output.InFlight, money.InFlight));
        Assert.Equal(trackers.Sum(t => t.GetSnapshot().InputTokens), input.Used);
        Assert.Equal(trackers.Sum(t => t.GetSnapshot().OutputTokens), output.Used);
        Assert.Equal(trackers.Sum(t => t.GetSnapshot().CostUsd) * 1_000_000m, money.Used);
    }
}
