namespace Agents.Plugins.Tests.Search;

/// <summary>What <c>search</c> costs through the tracker: one unit per distinct query sent to the engine.</summary>
public sealed class SearchChargeTests
{
    [Fact]
    public async Task InvokeToolAsync_repeated_and_cached_queries_are_free()
    {
        var tracker = Tracker();
        var engine = new FakeSearchEngine((q, _) => [new SearchHit(q, new Uri("https://example.org/" + Uri.EscapeDataString(q)), "s", "fake")]);
        var plugin = new WebSearchPlugin(engine);

        var first = await InvokeSearchAsync(tracker, plugin, "herons", "egrets", "Herons");
        var second = await InvokeSearchAsync(tracker, plugin, "herons", "storks");

        Assert.Equal(2, first.Units);
        Assert.Equal(1, second.Units);
        Assert.Equal(3, engine.Calls);
        Assert.Equal(3, tracker.GetSnapshot().GetCategory("search")!.Used);
    }

    [Fact]
    public async Task InvokeToolAsync_cache_hits_cost_a_unit_with_ChargeCacheHits()
    {
        var tracker = Tracker();
        var plugin = new WebSearchPlugin(new FakeSearchEngine((_, _) => []), new WebSearchPluginOptions { ChargeCacheHits = true });

        await InvokeSearchAsync(tracker, plugin, "herons");
        var again = await InvokeSearchAsync(tracker, plugin, "herons", "HERONS");

        Assert.Equal(1, again.Units);
        Assert.Equal(2, tracker.GetSnapshot().GetCategory("search")!.Used);
    }

    [Theory]
    [InlineData("fine", " ")]
    [InlineData("")]
    public async Task InvokeToolAsync_a_refused_call_costs_nothing(params string[] queries)
    {
        var tracker = Tracker();
        var engine = new FakeSearchEngine((_, _) => []);

        var result = await InvokeSearchAsync(tracker, new WebSearchPlugin(engine), queries);

        Assert.Contains("Nothing was searched", result.Result, StringComparison.Ordinal);
        Assert.Equal(0, result.Units);
        Assert.Equal(0, tracker.GetSnapshot().GetCategory("search")!.Used);
        Assert.Equal(0, engine.Calls);
    }

    private static BudgetTracker Tracker() => new(new BudgetOptions().SetToolLimit("search", 10));

    private static Task<BudgetedToolResult> InvokeSearchAsync(BudgetTracker tracker, WebSearchPlugin plugin, params string[] queries) =>
        ChargedTools.SearchAsync(tracker, plugin, queries);
}
