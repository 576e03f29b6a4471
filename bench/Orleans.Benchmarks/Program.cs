using System.Diagnostics;
using System.Globalization;
using Agents.Budget;
using Agents.Budget.Orleans;
using Orleans.Hosting;
using Orleans.TestingHost;

// Reservations per second (reserve + commit) through one budget grain, reached by a cluster client over loopback,
// vs the in-process ledger; back-to-back pairs, medians printed.
// Usage: dotnet run -c Release --project bench/Orleans.Benchmarks -- [pairs=7] [reservations=2000] [workers=32] [silos=1]
int pairs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 7;
int reservations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000;
int workers = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 32;
short silos = args.Length > 3 ? short.Parse(args[3], CultureInfo.InvariantCulture) : (short)1;

var builder = new TestClusterBuilder(silos);
builder.AddSiloBuilderConfigurator<SiloConfigurator>();
TestCluster cluster = builder.Build();
await cluster.DeployAsync();
await cluster.WaitForLivenessToStabilizeAsync();
try
{
    // Warm up both paths; the in-process ledger runs 25 times the reservations so that its rounds last long enough to time.
    int localReservations = reservations * 25;
    for (int i = 0; i < 3; i++)
    {
        await RunAsync(NewInProcess(), localReservations, workers);
        await RunAsync(await NewGrainAsync(cluster, "warmup-" + i.ToString(CultureInfo.InvariantCulture)), reservations, workers);
    }

    var grainRates = new List<double>();
    var localRates = new List<double>();
    var ratios = new List<double>();
    for (int i = 0; i < pairs; i++)
    {
        double local = await RunAsync(NewInProcess(), localReservations, workers);
        double grain = await RunAsync(await NewGrainAsync(cluster, "bench-" + i.ToString(CultureInfo.InvariantCulture)), reservations, workers);
        localRates.Add(local);
        grainRates.Add(grain);
        ratios.Add(local / grain);
        Console.WriteLine(FormattableString.Invariant($"pair {i + 1}: in-process {local:0} res/s, grain {grain:0} res/s, ratio {local / grain:0.0}x"));
    }

    Console.WriteLine(FormattableString.Invariant(
        $"median over {pairs} pairs ({reservations} reservations through the grain, {localReservations} in process, {workers} workers, {silos} silo(s), memory storage): in-process {Median(localRates):0} res/s, one grain {Median(grainRates):0} res/s, in-process/grain {Median(ratios):0.0}x"));
}
finally
{
    await cluster.StopAllSilosAsync();
    await cluster.DisposeAsync();
}

static InProcessBudgetLedger NewInProcess() =>
    new(new BudgetTracker(new BudgetOptions().SetToolLimit("search", long.MaxValue / 2)));

static async Task<IBudgetLedger> NewGrainAsync(TestCluster cluster, string id)
{
    var ledger = new OrleansBudgetLedger(cluster.Client, id);
    await ledger.SetLimitAsync("search", long.MaxValue / 2, CancellationToken.None);
    return ledger;
}

static async Task<double> RunAsync(IBudgetLedger ledger, int reservations, int workers)
{
    int next = 0;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
    {
        while (Interlocked.Increment(ref next) <= reservations)
        {
            BudgetLedgerReservation r = await ledger.ReserveAsync("search", 1, TimeSpan.FromMinutes(5), CancellationToken.None);
            await ledger.CommitAsync(r.ReservationId!, CancellationToken.None);
        }
    })));
    return reservations / clock.Elapsed.TotalSeconds;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

internal sealed class SiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder) =>
        siloBuilder.AddMemoryGrainStorage(OrleansBudgetLedger.StorageName).AddBudgetLedger();
}
