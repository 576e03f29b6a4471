using Microsoft.Extensions.AI;

namespace Agents.Budget.Orleans.Tests;

/// <summary>Trackers in different clients of the cluster share one cap through <see cref="BudgetOptions.SharedLedger"/> = the grain.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TrackersSharingAGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Trackers_on_every_client_spend_one_grain_budget_and_never_overrun_it()
    {
        string budget = "org-" + Guid.NewGuid().ToString("N");
        await new OrleansBudgetLedger(fixture.Clients[0], budget).SetLimitAsync("search", 30, CancellationToken.None);
        AIFunction search = AIFunctionFactory.Create((string[] queries) => $"{queries.Length} hits", "web_search");
        BudgetTracker[] trackers = [.. fixture.Clients.Select(c => new BudgetTracker(
            new BudgetOptions { SharedLedger = new OrleansBudgetLedger(c, budget) }
                .SetToolLimit("search", 1000)
                .AddToolMapping("web_search", "search", unitsArgument: "queries")))];

        await Task.WhenAll(trackers.Select((t, i) => Task.Run(async () =>
        {
            var random = new Random(i);
            for (int call = 0; call < 25; call++)
            {
                string[] queries = [.. Enumerable.Range(0, random.Next(1, 4)).Select(q => "q" + q)];
                await t.InvokeToolAsync(search, new AIFunctionArguments { ["queries"] = queries }, CancellationToken.None);
            }
        })));

        BudgetCategorySnapshot grain = (await new OrleansBudgetLedger(fixture.Clients[1], budget).GetSnapshotAsync(CancellationToken.None)).Single(c => c.Name == "search");
        long local = trackers.Sum(t => t.GetSnapshot().GetCategory("search")!.Used);
        Assert.True(grain.Used <= 30, $"overrun: {grain.Used} of 30");
        Assert.Equal(local, grain.Used);
        Assert.Equal(0, grain.InFlight);
        Assert.True(grain.Used >= 28, $"the shared cap was not reached: {grain.Used}");
    }
}
