namespace Agents.Budget.Tests.Tracking;

/// <summary>Issue 14 item 6: sub-budgets for stages and sub-agents.</summary>
public sealed class ChildBudgetTests
{
    [Fact]
    public void ChildSpend_FlowsToTheParent()
    {
        var options = new BudgetOptions().SetToolLimit("search", 10);
        options.Pricing.SetDefaultModelPrice(1, 2);
        var parent = new BudgetTracker(options);
        BudgetTracker child = parent.CreateChild(new BudgetOptions().SetToolLimit("search", 4));

        child.TryReserve("search", 3).Commit();
        child.RecordUsage(new UsageDetails { InputTokenCount = 1_000_000, OutputTokenCount = 1_000_000 });

        BudgetSnapshot p = parent.GetSnapshot();
        Assert.Same(parent, child.Parent);
        Assert.Equal(3, p.GetCategory("search")!.Used);
        Assert.Equal(1_000_000, p.InputTokens);
        Assert.Equal(3m, p.TokenCostUsd);
        Assert.Equal(3m, child.GetSnapshot().TokenCostUsd);
        Assert.False(child.TryReserve("search", 2).Granted);
    }

    [Fact]
    public void Child_CannotExceedTheParentsRemainder()
    {
        var parent = new BudgetTracker(new BudgetOptions { MaxOutputTokens = 100 }.SetToolLimit("search", 5));
        BudgetTracker child = parent.CreateChild(new BudgetOptions { MaxOutputTokens = 1000 }.SetToolLimit("search", 50));
        parent.TryReserve("search", 2).Commit();

        BudgetReservation denied = child.TryReserve("search", 4);
        using BudgetModelReservation call = child.TryReserveModelCall(10, 500, null);

        Assert.False(denied.Granted);
        Assert.StartsWith("The parent budget does not allow this call", denied.DeniedReason, StringComparison.Ordinal);
        Assert.True(child.TryReserve("search", 3).Granted);
        Assert.Equal(100, call.MaxOutputTokens);
        Assert.False(parent.TryReserveModelCall(0, null, null).Granted);
    }

    [Fact]
    public void ChildSpend_IsSavedAndRestoredPerChild_WithoutAddingToTheParentTwice()
    {
        var first = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 10));
        BudgetTracker writer = first.CreateChild(new BudgetOptions().SetToolLimit("search", 4));
        writer.TryReserve("search", 3).Commit();
        first.TryReserve("search", 1).Commit();
        BudgetSpend parentSpend = first.GetSpend();
        BudgetSpend writerSpend = writer.GetSpend();

        var resumed = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 10));
        resumed.RestoreSpend(parentSpend);
        BudgetTracker resumedWriter = resumed.CreateChild(new BudgetOptions().SetToolLimit("search", 4));
        resumedWriter.RestoreSpend(writerSpend);

        Assert.Equal(3, writerSpend.Units["search"]);
        Assert.Equal(4, resumed.GetSnapshot().GetCategory("search")!.Used);
        Assert.Equal(3, resumedWriter.GetSnapshot().GetCategory("search")!.Used);
        Assert.False(resumedWriter.TryReserve("search", 2).Granted);
        Assert.True(resumedWriter.TryReserve("search", 1).Granted);
    }

    [Fact]
    public void ChildWithoutPrices_UsesTheParentsPrices()
    {
        var options = new BudgetOptions().AddCategory("browse");
        options.Pricing.SetModelPrice("m", 0, 1_000_000).SetUnitPrice("browse", 0.5m);
        var parent = new BudgetTracker(options);
        BudgetTracker child = parent.CreateChild(new BudgetOptions { MaxCostUsd = 1 });

        using BudgetModelReservation call = child.TryReserveModelCall(0, null, "m");

        Assert.Equal(1, call.MaxOutputTokens);
        Assert.Equal(0.5m, child.Options.Pricing.GetUnitPrice("browse"));
    }
}
