using System.ComponentModel;
using Agents.Budget;
using Microsoft.Extensions.AI;

namespace Agents.Planners.Tests.Fakes;

/// <summary>Small real tools and trackers for the tests.</summary>
public sealed class TestTools
{
    private int _searchCalls;

    public int SearchCalls => Volatile.Read(ref _searchCalls);

    public Action? OnSearch { get; set; }

    public AIFunction Search => AIFunctionFactory.Create(
        ([Description("Queries")] string[] queries) =>
        {
            Interlocked.Increment(ref _searchCalls);
            OnSearch?.Invoke();
            return string.Join("\n", queries.Select(q => $"result for {q}"));
        },
        "search",
        "Searches the web.");

    public AIFunction Failing => AIFunctionFactory.Create(() => { throw new InvalidOperationException("backend down"); }, "flaky", "Always fails.");

    public IReadOnlyList<AITool> All => [Search, Failing];

    public static BudgetTracker Tracker(long searchLimit = 10, ExhaustionBehavior onExhaustion = ExhaustionBehavior.Terminate)
    {
        var options = new BudgetOptions().SetToolLimit("search", searchLimit).AddToolMapping("search", "search", unitsArgument: "queries");
        options.OnExhaustion = onExhaustion;
        options.Pricing.SetDefaultModelPrice(1m, 2m, 0.5m);
        return new BudgetTracker(options);
    }
}
