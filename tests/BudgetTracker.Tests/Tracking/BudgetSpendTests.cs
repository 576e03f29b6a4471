using System.Text.Json;

namespace Agents.Budget.Tests.Tracking;

public sealed class BudgetSpendTests
{
    private static BudgetOptions Options() => new BudgetOptions().SetToolLimit("search", 10).SetToolLimit("browse", 5);

    private static void Spend(BudgetTracker tracker, string category, int units)
    {
        using BudgetReservation r = tracker.TryReserve(category, units);
        Assert.True(r.Granted, r.DeniedReason);
        r.Commit();
    }

    [Fact]
    public void GetSpend_HasCommittedUnitsTokensCostAndElapsed_ButNotCallsInFlight()
    {
        var time = new FakeTimeProvider();
        var options = Options();
        options.Pricing.SetUnitPrice("search", 0.01m);
        var tracker = new BudgetTracker(options, time);
        Spend(tracker, "search", 3);
        using BudgetReservation inFlight = tracker.TryReserve("browse", 2);
        tracker.RecordUsage(new UsageDetails { InputTokenCount = 100, OutputTokenCount = 20, CachedInputTokenCount = 10 });
        time.Advance(TimeSpan.FromSeconds(7));

        BudgetSpend spend = tracker.GetSpend();

        Assert.Equal(3, spend.GetUnits("SEARCH"));
        Assert.Equal(0, spend.GetUnits("browse"));
        Assert.Single(spend.Units);
        Assert.Equal(100, spend.InputTokens);
        Assert.Equal(20, spend.OutputTokens);
        Assert.Equal(10, spend.CachedInputTokens);
        Assert.Equal(0.03m, spend.ToolCostUsd);
        Assert.Equal(TimeSpan.FromSeconds(7), spend.Elapsed);
    }

    [Fact]
    public void Json_RoundTrips()
    {
        var spend = new BudgetSpend
        {
            Units = new Dictionary<string, long> { ["search"] = 4, ["browse"] = 2 },
            InputTokens = 1234,
            OutputTokens = 56,
            CachedInputTokens = 7,
            TokenCostUsd = 0.0123m,
            ToolCostUsd = 0.5m,
            Elapsed = TimeSpan.FromMilliseconds(98765),
        };

        string json = JsonSerializer.Serialize(spend);
        BudgetSpend back = JsonSerializer.Deserialize<BudgetSpend>(json)!;

        Assert.Equal(spend.Units.OrderBy(p => p.Key), back.Units.OrderBy(p => p.Key));
        Assert.Equal(spend, back);
        Assert.Equal(spend.GetHashCode(), back.GetHashCode());
        Assert.Equal(json, JsonSerializer.Serialize(back));
        Assert.NotEqual(spend, back with { Units = new Dictionary<string, long> { ["search"] = 4, ["browse"] = 3 } });
        Assert.NotEqual(spend, back with { Units = new Dictionary<string, long> { ["search"] = 4 } });
        Assert.Equal(spend, back with { Units = new Dictionary<string, long> { ["SEARCH"] = 4, ["browse"] = 2 } });
        Assert.NotEqual(spend, back with { Elapsed = TimeSpan.Zero });
        Assert.NotEqual(spend, back with { TokenCostUsd = 0 });
    }

    [Fact]
    public void RestoreSpend_AddsToCountersOfAFreshTracker()
    {
        var first = new BudgetTracker(Options());
        Spend(first, "search", 4);
        first.RecordUsage(new UsageDetails { InputTokenCount = 300, OutputTokenCount = 30 });
        var second = new BudgetTracker(Options());
        Spend(second, "search", 1);

        second.RestoreSpend(JsonSerializer.Deserialize<BudgetSpend>(JsonSerializer.Serialize(first.GetSpend()))!);

        BudgetSnapshot snapshot = second.GetSnapshot();
        Assert.Equal(5, snapshot.GetCategory("search")!.Used);
        Assert.Equal(5, snapshot.GetCategory("search")!.Remaining);
        Assert.Equal(300, snapshot.InputTokens);
        Assert.Equal(30, snapshot.OutputTokens);
        Assert.Contains("Search used: 5, remaining: 5", second.FormatBudgetBlock(), StringComparison.Ordinal);
    }

    [Fact]
    public void RestoreSpend_ThenReservationsRespectTheLimit()
    {
        var tracker = new BudgetTracker(Options());
        tracker.RestoreSpend(new BudgetSpend { Units = new Dictionary<string, long> { ["search"] = 8 } });

        using BudgetReservation tooMany = tracker.TryReserve("search", 3);
        Assert.False(tooMany.Granted);
        Assert.Contains("2 unit(s) left", tooMany.DeniedReason, StringComparison.Ordinal);
        Spend(tracker, "search", 2);
        using BudgetReservation after = tracker.TryReserve("search", 1);
        Assert.False(after.Granted);
        Assert.Equal(10, tracker.GetSnapshot().GetCategory("search")!.Used);
        Assert.True(tracker.TryReserve("browse", 5).Granted);
    }

    [Fact]
    public void RestoreSpend_ThatReachesALimit_RaisesExhaustedOnceAndDeniesCalls()
    {
        var tracker = new BudgetTracker(Options());
        var raised = new List<string>();
        tracker.Exhausted += (_, e) => raised.Add(e.Budget);

        tracker.RestoreSpend(new BudgetSpend { Units = new Dictionary<string, long> { ["browse"] = 5, ["search"] = 2 } });

        Assert.True(tracker.IsExhausted);
        Assert.Equal(["browse"], raised);
        Assert.Equal(BudgetRegime.Critical, tracker.Regime);
        using BudgetReservation denied = tracker.TryReserve("browse", 1);
        Assert.False(denied.Granted);
        Assert.Contains("browse budget is exhausted", denied.DeniedReason, StringComparison.Ordinal);
        Assert.Equal(["browse"], raised);
    }

    [Fact]
    public void RestoreSpend_CountsTokensCostAndElapsedAgainstTheirLimits()
    {
        var time = new FakeTimeProvider();
        var tokens = new BudgetTracker(new BudgetOptions { MaxInputTokens = 1000 });
        tokens.RestoreSpend(new BudgetSpend { InputTokens = 1000 });
        Assert.True(tokens.IsExhausted);

        var money = new BudgetTracker(new BudgetOptions { MaxCostUsd = 1m });
        money.RestoreSpend(new BudgetSpend { TokenCostUsd = 0.6m, ToolCostUsd = 0.4m });
        Assert.True(money.IsExhausted);
        Assert.Equal(1m, money.GetSnapshot().CostUsd);

        var clock = new BudgetTracker(new BudgetOptions { MaxDuration = TimeSpan.FromMinutes(10) }, time);
        clock.RestoreSpend(new BudgetSpend { Elapsed = TimeSpan.FromMinutes(9) });
        Assert.False(clock.IsExhausted);
        Assert.Equal(TimeSpan.FromMinutes(9), clock.GetSnapshot().Elapsed);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(clock.IsExhausted);
        Assert.Equal(TimeSpan.FromMinutes(10), clock.GetSpend().Elapsed);

        clock.Reset();
        Assert.False(clock.IsExhausted);
        Assert.Equal(TimeSpan.Zero, clock.GetSnapshot().Elapsed);
    }

    [Fact]
    public void RestoreSpend_RejectsBadInput_WithoutChangingTheTracker()
    {
        var tracker = new BudgetTracker(Options());
        Assert.Throws<ArgumentNullException>(() => tracker.RestoreSpend(null!));
        Assert.Throws<ArgumentException>(() => tracker.RestoreSpend(new BudgetSpend { Units = null! }));
        Assert.Contains("InputTokens", Assert.Throws<ArgumentException>(() => tracker.RestoreSpend(new BudgetSpend { InputTokens = -1 })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => tracker.RestoreSpend(new BudgetSpend { OutputTokens = -1 }));
        Assert.Throws<ArgumentException>(() => tracker.RestoreSpend(new BudgetSpend { InputTokens = 1, CachedInputTokens = 2 }));
        Assert.Throws<ArgumentException>(() => tracker.RestoreSpend(new BudgetSpend { TokenCostUsd = -0.1m }));
        Assert.Throws<ArgumentException>(() => tracker.RestoreSpend(new BudgetSpend { ToolCostUsd = -0.1m }));
        Assert.Throws<ArgumentException>(() => tracker.RestoreSpend(new BudgetSpend { Elapsed = TimeSpan.FromSeconds(-1) }));
        Assert.Throws<ArgumentException>(() => tracker.RestoreSpend(new BudgetSpend { Units = new Dictionary<string, long> { ["search"] = -1 } }));
        Assert.Throws<ArgumentException>(() => tracker.RestoreSpend(new BudgetSpend { Units = new Dictionary<string, long> { [" "] = 1 } }));
        var unknown = Assert.Throws<ArgumentException>(() => tracker.RestoreSpend(new BudgetSpend { Units = new Dictionary<string, long> { ["search"] = 1, ["fetch"] = 1 } }));
        Assert.Contains("'fetch'", unknown.Message, StringComparison.Ordinal);

        BudgetSpend spend = tracker.GetSpend();
        Assert.Empty(spend.Units);
        Assert.Equal(0, spend.InputTokens);
        Assert.Equal(0m, spend.TokenCostUsd + spend.ToolCostUsd);
    }

    [Fact]
    public void RestoreSpend_AcceptsACategoryTheTrackerCreatedWhileRunning()
    {
        var tracker = new BudgetTracker(Options());
        Spend(tracker, "fetch", 1);

        tracker.RestoreSpend(new BudgetSpend { Units = new Dictionary<string, long> { ["Fetch"] = 2 } });

        Assert.Equal(3, tracker.GetSpend().GetUnits("fetch"));
    }
}
