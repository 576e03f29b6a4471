using Microsoft.Extensions.AI;

namespace Agents.Budget.Tests.Tracking;

/// <summary>Randomized checks of the atomic reservation: never overspend, never lose a unit.</summary>
public sealed class ReservationPropertyTests
{
    private static readonly string[] Categories = ["search", "browse", "read"];

    [Fact]
    public void RandomConcurrentReservations_NeverOverspend_AndCountExactlyTheExecutedUnits()
    {
        const int scenarios = 10_000;
        var master = new Random(20251123);
        for (int scenario = 0; scenario < scenarios; scenario++)
        {
            int seed = master.Next();
            RunScenario(seed);
        }
    }

    [Fact]
    public async Task RandomInvocations_WithFailuresAndCancellation_CountOnlyCallsThatRan()
    {
        var master = new Random(77);
        for (int scenario = 0; scenario < 500; scenario++)
        {
            int seed = master.Next();
            var random = new Random(seed);
            long limit = random.Next(1, 25);
            var tracker = new BudgetTracker(new BudgetOptions().WithToolLimit("search", limit));
            long ran = 0;
            AIFunction search = AIFunctionFactory.Create(
                [BudgetCategory("search", UnitsArgument = "queries")] async (string[] queries, CancellationToken ct) =>
                {
                    await Task.Yield();
                    ct.ThrowIfCancellationRequested();
                    if (queries[0] == "fail")
                    {
                        throw new InvalidOperationException("tool failed");
                    }

                    Interlocked.Add(ref ran, queries.Length);
                    return "ok";
                },
                "search");

            var tasks = new List<Task>();
            int calls = random.Next(1, 12);
            for (int i = 0; i < calls; i++)
            {
                int units = random.Next(1, 6);
                int outcome = random.Next(4); // 0,1 run; 2 throws; 3 cancelled
                string[] queries = Enumerable.Repeat(outcome == 2 ? "fail" : "q", units).ToArray();
                var token = new CancellationToken(outcome == 3);
                tasks.Add(Task.Run(async () =>
                {
                    try
                    {
                        await tracker.InvokeToolAsync(search, new AIFunctionArguments { ["queries"] = queries }, token);
                    }
                    catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
                    {
                    }
                }));
            }

            await Task.WhenAll(tasks);
            BudgetCategorySnapshot s = tracker.GetSnapshot().GetCategory("search")!;
            Assert.True(s.Used <= limit, $"seed {seed}: used {s.Used} > limit {limit}");
            Assert.True(ran == s.Used, $"seed {seed}: used {s.Used} but {ran} units ran");
            Assert.Equal(0, s.InFlight);
        }
    }

    private static void RunScenario(int seed)
    {
        var random = new Random(seed);
        var options = new BudgetOptions();
        int categoryCount = random.Next(1, Categories.Length + 1);
        var limits = new long[categoryCount];
        for (int c = 0; c < categoryCount; c++)
        {
            limits[c] = random.Next(1, 30);
            options.WithToolLimit(Categories[c], limits[c]);
        }

        var tracker = new BudgetTracker(options);
        int calls = random.Next(2, 16);
        var plan = new (int Category, int Units, bool Runs)[calls];
        for (int i = 0; i < calls; i++)
        {
            plan[i] = (random.Next(categoryCount), random.Next(1, 7), random.NextDouble() < 0.8);
        }

        var executed = new long[categoryCount];
        int violations = 0;
        Parallel.For(0, calls, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            (int category, int units, bool runs) = plan[i];
            using BudgetReservation reservation = tracker.TryReserve(Categories[category], units);
            if (!reservation.Granted)
            {
                return;
            }

            if (runs)
            {
                reservation.Commit();
                Interlocked.Add(ref executed[category], units);
            }

            BudgetCategorySnapshot now = tracker.GetSnapshot().GetCategory(Categories[category])!;
            if (now.Used > limits[category] || now.Used + now.InFlight > limits[category])
            {
                Interlocked.Increment(ref violations);
            }
        });

        Assert.True(violations == 0, $"seed {seed}: {violations} observations above the limit");
        BudgetSnapshot final = tracker.GetSnapshot();
        for (int c = 0; c < categoryCount; c++)
        {
            BudgetCategorySnapshot s = final.GetCategory(Categories[c])!;
            Assert.True(s.Used <= limits[c], $"seed {seed}: {Categories[c]} used {s.Used} > limit {limits[c]}");
            Assert.True(s.Used == executed[c], $"seed {seed}: {Categories[c]} used {s.Used} but executed {executed[c]}");
            Assert.Equal(0, s.InFlight);
        }
    }
}
