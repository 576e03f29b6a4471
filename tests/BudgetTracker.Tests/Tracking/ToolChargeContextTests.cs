using Microsoft.SemanticKernel;

namespace Agents.Budget.Tests.Tracking;

public sealed class ToolChargeContextTests
{
    [Fact]
    public async Task InvokeToolAsync_RefundedCall_CostsNothing_AndReportsZeroUnits()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("browse", 2).AddToolMapping("browse", "browse"));
        AIFunction browse = AIFunctionFactory.Create(
            (string url) =>
            {
                Assert.Equal("browse", ToolChargeContext.Current!.Category);
                Assert.Equal(1, ToolChargeContext.Current.Refund(1));
                return "Refused: private address";
            },
            "browse");

        for (int i = 0; i < 5; i++)
        {
            BudgetedToolResult result = await tracker.InvokeToolAsync(browse, new AIFunctionArguments { ["url"] = "http://10.0.0.1/" }, CancellationToken.None);
            Assert.True(result.Executed);
            Assert.Equal(0, result.Units);
        }

        BudgetCategorySnapshot browseSnapshot = tracker.GetSnapshot().GetCategory("browse")!;
        Assert.Equal(0, browseSnapshot.Used);
        Assert.Equal(0, browseSnapshot.InFlight);
        Assert.Null(ToolChargeContext.Current);
    }

    [Fact]
    public async Task InvokeToolAsync_CallThatDidTheWork_IsCharged()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("browse", 2).AddToolMapping("browse", "browse"));
        AIFunction browse = AIFunctionFactory.Create((string url) => "page", "browse");
        BudgetedToolResult result = await tracker.InvokeToolAsync(browse, new AIFunctionArguments { ["url"] = "https://example.org/" }, CancellationToken.None);
        Assert.Equal(1, result.Units);
        Assert.Equal(1, tracker.GetSnapshot().GetCategory("browse")!.Used);
    }

    [Fact]
    public void Refund_IsCappedAtTheReservation_AndIgnoredAfterCommit()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("browse", 10).AddToolMapping("browse", "browse"));
        BudgetReservation reservation = tracker.TryReserve("browse", 3);
        ToolChargeContext? seen;
        using (reservation.EnterCall())
        {
            seen = ToolChargeContext.Current;
            Assert.Equal(2, seen!.Refund(2));
            Assert.Equal(1, seen.Refund(5));
            Assert.Equal(0, seen.Refund(1));
            Assert.Equal(0, seen.ChargedUnits);
            Assert.Throws<ArgumentOutOfRangeException>(() => seen.Refund(0));
        }

        Assert.Null(ToolChargeContext.Current);
        reservation.Commit();
        Assert.Equal(3, reservation.RefundedUnits);
        Assert.Equal(0, tracker.GetSnapshot().GetCategory("browse")!.Used);

        BudgetReservation second = tracker.TryReserve("browse", 2);
        using (second.EnterCall())
        {
            seen = ToolChargeContext.Current;
            Assert.Equal(1, seen!.Refund(1));
        }

        second.Commit();
        Assert.Equal(0, seen.Refund(1));
        Assert.Equal(1, tracker.GetSnapshot().GetCategory("browse")!.Used);
        Assert.Equal(9, tracker.GetSnapshot().GetCategory("browse")!.Remaining);
    }

    [Fact]
    public void EnterCall_OnDeniedReservation_ThrowsNamingTheReason()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("browse", 1).AddToolMapping("browse", "browse"));
        using BudgetReservation denied = tracker.TryReserve("browse", 2);
        Assert.False(denied.Granted);
        InvalidOperationException ex = Assert.Throws<InvalidOperationException>(() => denied.EnterCall());
        Assert.Contains("browse", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KernelFilter_RefundedCall_CostsNothing()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("browse", 1).AddToolMapping("browse", "browse"));
        var kernel = new Kernel();
        kernel.UseBudgetTracker(tracker);
        KernelFunction browse = KernelFunctionFactory.CreateFromMethod(
            (string url) =>
            {
                ToolChargeContext.Current!.Refund(1);
                return "Refused";
            },
            "browse");
        KernelFunction fetch = KernelFunctionFactory.CreateFromMethod((string url) => "page", "browse");

        for (int i = 0; i < 3; i++)
        {
            await kernel.InvokeAsync(browse, new KernelArguments { ["url"] = "http://127.0.0.1/" });
        }

        Assert.Equal(0, tracker.GetSnapshot().GetCategory("browse")!.Used);
        await kernel.InvokeAsync(fetch, new KernelArguments { ["url"] = "https://example.org/" });
        Assert.Equal(1, tracker.GetSnapshot().GetCategory("browse")!.Used);
    }

    [Fact]
    public async Task InvokeToolAsync_LargeToolResult_GetsItsBudgetBlock()
    {
        // Regression: the budget-block formatter shrank its reused buffer while it still held text longer than 16k characters.
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("browse", 3).AddToolMapping("browse", "browse"));
        string page = new('x', 40_000);
        AIFunction browse = AIFunctionFactory.Create((string url) => page, "browse");
        for (int i = 0; i < 2; i++)
        {
            BudgetedToolResult result = await tracker.InvokeToolAsync(browse, new AIFunctionArguments { ["url"] = "https://example.org/" }, CancellationToken.None);
            string text = result.Result;
            Assert.Contains(page, text, StringComparison.Ordinal);
            Assert.Contains("<budget>", text, StringComparison.Ordinal);
        }
    }
}
