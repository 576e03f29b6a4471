using System.Diagnostics;
using System.Globalization;
using Agents.Budget;
using Agents.Budget.Orleans;
using Agents.Budget.Orleans.Benchmarks;
using Orleans.TestingHost;

// One reservation = reserve + commit, the ledger work of one tool call.
// Usage: dotnet bench/Orleans.Benchmarks/bin/Release/net10.0/Agents.Budget.Orleans.Benchmarks.dll MODE [options]
//   throughput [pairs=7] [reservations=2000] [workers=32] [silos=1]   res/s through one grain vs in-process, pair ratios
//   latency    [calls=2000] [silos=1]                                  p50/p99 added per tool call, one caller at a time
//   scale      [reservations=3000] [workers=32] [budgets=12]           res/s with 1, 2 and 3 silos: one budget, then many
// Add --redis HOST:PORT anywhere to persist the grains in that Redis (start redis-server first) instead of memory.
string? redis = null;
var rest = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--redis" && i + 1 < args.Length)
    {
        redis = args[++i];
    }
    else
    {
        rest.Add(args[i]);
    }
}

string mode = rest.Count > 0 ? rest[0] : "throughput";
int Arg(int index, int fallback) => rest.Count > index ? int.Parse(rest[index], CultureInfo.InvariantCulture) : fallback;
string storage = redis is null ? "memory grain storage" : "Redis grain storage at " + redis;

switch (mode)
{
    case "throughput":
        await ThroughputAsync(Arg(1, 7), Arg(2, 2000), Arg(3, 32), (short)Arg(4, 1));
        break;
    case "latency":
        await LatencyAsync(Arg(1, 2000), (short)Arg(2, 1));
        break;
    case "scale":
        await ScaleAsync(Arg(1, 3000), Arg(2, 32), Arg(3, 12));
        break;
    default:
        Console.Error.WriteLine($"unknown mode '{mode}': use throughput, latency or scale");
        return 2;
}

return 0;

async Task ThroughputAsync(int pairs, int reservations, int workers, short silos)
{
    await using Bench cluster = await Bench.StartAsync(silos, redis);

    // Warm up both paths; the in-process ledger runs 25 times the reservations so that its rounds last long enough to time.
    int localReservations = reservations * 25;
    for (int i = 0; i < 3; i++)
    {
        await Load.RunAsync([NewInProcess()], localReservations, workers);
        await Load.RunAsync([await cluster.NewGrainAsync("warmup-" + i.ToString(CultureInfo.InvariantCulture))], reservations, workers);
    }

    var grainRates = new List<double>();
    var localRates = new List<double>();
    var ratios = new List<double>();
    for (int i = 0; i < pairs; i++)
    {
        double local = await Load.RunAsync([NewInProcess()], localReservations, workers);
        double grain = await Load.RunAsync([await cluster.NewGrainAsync("bench-" + i.ToString(CultureInfo.InvariantCulture))], reservations, workers);
        localRates.Add(local);
        grainRates.Add(grain);
        ratios.Add(local / grain);
        Console.WriteLine(FormattableString.Invariant($"pair {i + 1}: in-process {local:0} res/s, grain {grain:0} res/s, ratio {local / grain:0.0}x"));
    }

    Console.WriteLine(FormattableString.Invariant(
        $"median over {pairs} pairs ({reservations} reservations through the grain, {localReservations} in process, {workers} workers, {silos} silo(s), {storage}): in-process {Stats.Median(localRates):0} res/s, one grain {Stats.Median(grainRates):0} res/s, in-process/grain {Stats.Median(ratios):0.0}x"));
}

async Task LatencyAsync(int calls, short silos)
{
    await using Bench cluster = await Bench.StartAsync(silos, redis);
    IBudgetLedger grain = await cluster.NewGrainAsync("latency");
    IBudgetLedger local = NewInProcess();
    await Load.TimeEachAsync(grain, 200);
    await Load.TimeEachAsync(local, 200);

    // Alternate blocks of 100 calls so that both sides see the same machine load.
    var grainTimes = new List<double>();
    var localTimes = new List<double>();
    for (int done = 0; done < calls; done += 100)
    {
        localTimes.AddRange(await Load.TimeEachAsync(local, 100));
        grainTimes.AddRange(await Load.TimeEachAsync(grain, 100));
    }

    Console.WriteLine(FormattableString.Invariant(
        $"latency per tool call (reserve + commit, one caller, {grainTimes.Count} calls each, {silos} silo(s), {storage}): in-process p50 {Stats.Percentile(localTimes, 50):0.000} ms p99 {Stats.Percentile(localTimes, 99):0.000} ms; grain p50 {Stats.Percentile(grainTimes, 50):0.000} ms p99 {Stats.Percentile(grainTimes, 99):0.000} ms; added p50 {Stats.Percentile(grainTimes, 50) - Stats.Percentile(localTimes, 50):0.000} ms"));
}

async Task ScaleAsync(int reservations, int workers, int budgets)
{
    for (short silos = 1; silos <= 3; silos++)
    {
        await using Bench cluster = await Bench.StartAsync(silos, redis);
        await Load.RunAsync([await cluster.NewGrainAsync("warm")], reservations / 2, workers);
        var one = new List<double>();
        var many = new List<double>();
        for (int round = 0; round < 3; round++)
        {
            string tag = silos.ToString(CultureInfo.InvariantCulture) + "-" + round.ToString(CultureInfo.InvariantCulture);
            one.Add(await Load.RunAsync([await cluster.NewGrainAsync("one-" + tag)], reservations, workers));
            var ledgers = new List<IBudgetLedger>();
            for (int b = 0; b < budgets; b++)
            {
                ledgers.Add(await cluster.NewGrainAsync("many-" + tag + "-" + b.ToString(CultureInfo.InvariantCulture)));
            }

            many.Add(await Load.RunAsync(ledgers, reservations, workers));
        }

        Console.WriteLine(FormattableString.Invariant(
            $"{silos} silo(s), {storage}, {workers} workers, median of 3 rounds: one budget {Stats.Median(one):0} res/s; {budgets} budgets {Stats.Median(many):0} res/s"));
    }
}

static InProcessBudgetLedger NewInProcess() =>
    new(new BudgetTracker(new BudgetOptions().SetToolLimit("search", long.MaxValue / 2)));
