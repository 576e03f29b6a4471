using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace Agents.Budget.Tests.Extenders;

/// <summary>
/// <see cref="ToolChargeContext.Tracker"/> is public: a tool (the browser's page summariser, the reading plugin) reads
/// "the tracker charging the tool call in progress" on every charge path, and nothing outside one.
/// </summary>
public sealed class ChargingTrackerTests
{
    [Fact]
    public async Task Tracker_IsTheOneChargingTheCall_OnEveryChargePath()
    {
        var parent = new BudgetTracker(new BudgetOptions());
        BudgetTracker tracker = parent.CreateChild(new BudgetOptions().SetToolLimit("probe", 10).AddToolMapping("probe*", "probe"));
        var seen = new List<BudgetTracker?>();
        string Probe()
        {
            seen.Add(ToolChargeContext.Current?.Tracker);
            return "ok";
        }

        await tracker.InvokeToolAsync(AIFunctionFactory.Create(Probe, "probe_api"), [], CancellationToken.None);
        await tracker.ChargeToolCallAsync(new BudgetToolCall("probe_adapter"), _ => ValueTask.FromResult<object?>(Probe()));
        var kernel = new Kernel();
        kernel.Plugins.AddFromFunctions("p", [KernelFunctionFactory.CreateFromMethod(Probe, "probe_sk")]);
        kernel.UseBudgetTracker(tracker);
        await kernel.InvokeAsync("p", "probe_sk");
        using (BudgetReservation reservation = tracker.TryReserve("probe", 1))
        using (reservation.EnterCall())
        {
            Probe();
        }

        Probe();

        BudgetTracker?[] expected = [tracker, tracker, tracker, tracker, null];
        Assert.Equal(expected, seen);
        Assert.Equal(3, tracker.GetSnapshot().GetCategory("probe")!.Used);
    }
}
