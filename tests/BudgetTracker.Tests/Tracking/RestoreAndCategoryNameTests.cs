using System.Reflection;
using Microsoft.SemanticKernel;

namespace Agents.Budget.Tests.Tracking;

public sealed class RestoreAndCategoryNameTests
{
    [Fact]
    public void RestoreSpend_BeyondALimit_CountsItAndSaysWhatIsOver()
    {
        var tracker = new BudgetTracker(new BudgetOptions { MaxInputTokens = 1000 }.SetToolLimit("search", 100).SetToolLimit("browse", 10));

        BudgetRestoreResult result = tracker.RestoreSpend(new BudgetSpend
        {
            Units = new Dictionary<string, long> { ["search"] = 160, ["browse"] = 10 },
            InputTokens = 1500,
        });

        Assert.True(result.IsExhausted);
        Assert.True(result.IsOverLimit);
        Assert.Equal([new BudgetOverrun("search", 160, 100), new BudgetOverrun("input tokens", 1500, 1000)], result.Overruns);
        Assert.Equal(60, result.Overruns[0].Excess);
        Assert.Equal("over limit: search: 160 of 100 (60 over); input tokens: 1500 of 1000 (500 over)", result.ToString());
        Assert.Contains("browse budget exhausted (10 of 10 units used)", result.ExhaustedReasons);

        // The restored spend is not clamped and counts against the limit like any other spend.
        BudgetCategorySnapshot search = tracker.GetSnapshot().GetCategory("search")!;
        Assert.Equal(160, search.Used);
        Assert.Equal(0, search.Remaining);
        Assert.True(tracker.IsExhausted);
        using BudgetReservation denied = tracker.TryReserve("search", 1);
        Assert.False(denied.Granted);
        Assert.Equal(160, tracker.GetSpend().GetUnits("search"));
    }

    [Fact]
    public void RestoreSpend_AtOrBelowTheLimits_SaysSo()
    {
        var atLimit = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 100));
        BudgetRestoreResult reached = atLimit.RestoreSpend(new BudgetSpend { Units = new Dictionary<string, long> { ["search"] = 100 } });
        Assert.True(reached.IsExhausted);
        Assert.False(reached.IsOverLimit);
        Assert.Equal("exhausted: search budget exhausted (100 of 100 units used)", reached.ToString());

        var below = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 100));
        BudgetRestoreResult fine = below.RestoreSpend(new BudgetSpend { Units = new Dictionary<string, long> { ["search"] = 40 } });
        Assert.False(fine.IsExhausted);
        Assert.Empty(fine.Overruns);
        Assert.Empty(fine.ExhaustedReasons);
        Assert.Equal("within the limits", fine.ToString());
    }

    [Fact]
    public void CategoryNames_AreTrimmedAndCaseInsensitive_AtEveryEntryPoint()
    {
        var options = new BudgetOptions { DefaultCategory = " other " }
            .SetToolLimit(" search ", 10)
            .AddToolMapping("web_*", "Search\t")
            .AddCategory(" fetch");
        options.Pricing.SetUnitPrice("SEARCH ", 0.5m);
        var tracker = new BudgetTracker(options);
        MethodInfo attributed = typeof(Tools).GetMethod(nameof(Tools.Lookup))!;

        // Options, mapping and attribute all name the one limited category.
        Assert.Equal("search", tracker.ResolveCategory(null, "web_search"));
        Assert.Equal("search", tracker.ResolveCategory("research", "lookup", attributed));
        Assert.Equal("other", tracker.ResolveCategory(null, "unmapped"));
        Assert.Equal(3, tracker.CountUnits("research", "lookup", new Dictionary<string, object?> { ["queries"] = new[] { "a", "b", "c" } }, attributed));

        // Reservations, restored spend and snapshots too.
        using (BudgetReservation r = tracker.TryReserve("search ", 4))
        {
            Assert.True(r.Granted);
            Assert.Equal("search", r.Category);
            r.Commit();
        }

        BudgetRestoreResult restored = tracker.RestoreSpend(new BudgetSpend { Units = new Dictionary<string, long> { [" Search"] = 3, ["search"] = 2, ["FETCH "] = 1 } });
        Assert.False(restored.IsExhausted);
        using BudgetReservation tooMany = tracker.TryReserve("\tSEARCH", 2);
        Assert.False(tooMany.Granted);
        Assert.Contains("1 unit(s) left", tooMany.DeniedReason, StringComparison.Ordinal);

        BudgetSnapshot snapshot = tracker.GetSnapshot();
        Assert.Single(snapshot.Categories, c => c.Name.Contains("search", StringComparison.OrdinalIgnoreCase));
        Assert.Single(snapshot.Categories, c => c.Name.Contains("other", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(9, snapshot.GetCategory(" search ")!.Used);
        Assert.Equal(10, snapshot.GetCategory("SEARCH")!.Limit);
        Assert.Equal(1, snapshot.GetCategory("fetch ")!.Used);
        Assert.Equal(9, tracker.GetSpend().GetUnits(" Search "));
        Assert.Equal(0.5m, options.Pricing.GetUnitPrice(" search"));
        Assert.Equal(4.5m, snapshot.GetCategory("search")!.CostUsd);
    }

    [Fact]
    public async Task CategoryNames_AreTrimmedForToolCalls_InTheChatClientAndKernelPaths()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 2));
        AIFunction function = AIFunctionFactory.Create(new Tools().Lookup);

        BudgetedToolResult first = await tracker.InvokeToolAsync(function, new AIFunctionArguments { ["queries"] = new[] { "a", "b" } }, CancellationToken.None);
        Assert.True(first.Executed);
        Assert.Equal("search", first.Category);

        var kernel = new Kernel();
        kernel.Plugins.AddFromObject(new Tools(), "research");
        kernel.UseBudgetTracker(tracker);
        FunctionResult refused = await kernel.InvokeAsync("research", "lookup", new KernelArguments { ["queries"] = new[] { "c" } });

        Assert.Contains("search budget is exhausted", refused.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["default", "search"], tracker.GetSnapshot().Categories.Select(c => c.Name).Order());
    }

    [Fact]
    public void BudgetCategoryAttribute_TrimsItsName()
    {
        Assert.Equal("search", new BudgetCategoryAttribute("  search ").Category);
        Assert.Throws<ArgumentException>(() => new BudgetCategoryAttribute("  "));
    }

    public sealed class Tools
    {
        [KernelFunction("lookup")]
        [BudgetCategory(" Search ", UnitsArgument = "queries")]
        public string Lookup(string[] queries) => $"{queries.Length} results";
    }
}
