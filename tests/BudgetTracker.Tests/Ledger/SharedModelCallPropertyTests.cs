namespace Agents.Budget.Tests.Ledger;

/// <summary>
/// Many trackers in parallel make model calls under one shared ledger with token and money caps: whatever the calls,
/// the shared counters never go beyond the caps, and in the end they equal what the trackers spent together.
/// </summary>
public sealed class SharedModelCallPropertyTests
{
    private const string In = SharedLedgerCategories.InputTokens;
    private const string Out = SharedLedgerCategories.OutputTokens;
    private const string Cost = SharedLedgerCategories.CostMicroUsd;

    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 12).Select(i => i * 7919)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Parallel_trackers_never_overrun_the_shared_token_and_money_caps_and_the_ledger_equals_their_spend(int seed)
    {
        var random = new Random(seed);
        long inCap = random.Next(1_000, 6_000), outCap = random.Next(500, 3_000), moneyCap = random.Next(2_000, 9_000);
        var org = new BudgetTracker(new BudgetOptions().SetToolLimit(In, inCap).SetToolLimit(Out, outCap).SetToolLimit(Cost, moneyCap));
        var shared = new InProcessBudgetLedger(org);
        BudgetTracker[] workers = [.. Enumerable.Range(0, random.Next(3, 9)).Select(_ => Worker(shared, random))];
        int[] seeds = [.. workers.Select(_ => random.Next())];
        int granted = 0, refused = 0;
        var overruns = new System.Collections.Concurrent.ConcurrentQueue<string>();

        await Task.WhenAll(workers.Select((worker, w) => Task.Run(async () =>
        {
            var r = new Random(seeds[w]);
            for (int call = 0; call < 40; call++)
            {
                using BudgetModelReservation hold = await worker.ReserveModelCallAsync(
                    r.Next(0, 300), r.Next(4) == 0 ? null : r.Next(1, 200), "m", cancellationToken: CancellationToken.None);
                CheckCaps(org, inCap, outCap, moneyCap, overruns);
                if (!hold.Granted)
                {
                    Interlocked.Increment(ref refused);
                    continue;
                }

                Interlocked.Increment(ref granted);
                await Task.Yield();
                if (r.Next(10) == 0)
                {
                    hold.Release(); // the call failed
                }
                else
                {
                    long input = r.NextInt64(0, hold.PromptTokens + 1);
                    long output = r.NextInt64(0, hold.ReservedOutputTokens + 1);
                    hold.Commit(new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output });
                }

                await hold.SharedLedgerSettled;
                CheckCaps(org, inCap, outCap, moneyCap, overruns);
            }
        })));

        Assert.Empty(overruns);
        Assert.True(granted > 0 && refused > 0, $"seed {seed}: {granted} granted, {refused} refused: the caps were not reached");
        BudgetSnapshot ledger = org.GetSnapshot();
        Assert.Equal((0, 0, 0), (ledger.GetCategory(In)!.InFlight, ledger.GetCategory(Out)!.InFlight, ledger.GetCategory(Cost)!.InFlight));
        Assert.Equal(workers.Sum(w => w.GetSnapshot().InputTokens), ledger.GetCategory(In)!.Used);
        Assert.Equal(workers.Sum(w => w.GetSnapshot().OutputTokens), ledger.GetCategory(Out)!.Used);
        Assert.Equal(workers.Sum(w => w.GetSnapshot().CostUsd) * 1_000_000m, ledger.GetCategory(Cost)!.Used);
    }

    /// <summary>A worker at $1 per million input and $2 per million output tokens (whole microdollars), some with local limits too.</summary>
    private static BudgetTracker Worker(IBudgetLedger shared, Random random)
    {
        var options = new BudgetOptions { SharedLedger = shared };
        if (random.Next(2) == 0)
        {
            options.MaxOutputTokens = random.Next(200, 2_000);
        }

        options.Pricing.SetDefaultModelPrice(1m, 2m);
        return new BudgetTracker(options);
    }

    private static void CheckCaps(BudgetTracker org, long inCap, long outCap, long moneyCap, System.Collections.Concurrent.ConcurrentQueue<string> overruns)
    {
        BudgetSnapshot s = org.GetSnapshot();
        foreach ((string name, long cap) in new[] { (In, inCap), (Out, outCap), (Cost, moneyCap) })
        {
            BudgetCategorySnapshot c = s.GetCategory(name)!;
            if (c.Used + c.InFlight > cap)
            {
                overruns.Enqueue($"{name}: {c.Used} used + {c.InFlight} in flight > {cap}");
            }
        }
    }
}
