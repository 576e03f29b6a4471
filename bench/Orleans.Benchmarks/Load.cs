using System.Diagnostics;

namespace Agents.Budget.Orleans.Benchmarks;

internal static class Load
{
    /// <summary>Runs reserve + commit from <paramref name="workers"/> concurrent callers spread over the ledgers; returns reservations per second.</summary>
    public static async Task<double> RunAsync(IReadOnlyList<IBudgetLedger> ledgers, int reservations, int workers)
    {
        int next = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            IBudgetLedger ledger = ledgers[w % ledgers.Count];
            while (Interlocked.Increment(ref next) <= reservations)
            {
                BudgetLedgerReservation r = await ledger.ReserveAsync("search", 1, TimeSpan.FromMinutes(5), CancellationToken.None);
                await ledger.CommitAsync(r.ReservationId!, CancellationToken.None);
            }
        })));
        return reservations / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Times each of <paramref name="calls"/> sequential reserve + commit pairs, in milliseconds.</summary>
    public static async Task<List<double>> TimeEachAsync(IBudgetLedger ledger, int calls)
    {
        var times = new List<double>(calls);
        for (int i = 0; i < calls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            BudgetLedgerReservation r = await ledger.ReserveAsync("search", 1, TimeSpan.FromMinutes(5), CancellationToken.None);
            await ledger.CommitAsync(r.ReservationId!, CancellationToken.None);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return times;
    }
}
