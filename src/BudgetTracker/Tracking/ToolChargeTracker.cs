namespace Agents.Budget;

/// <summary>
/// The tracker whose charge path is running on the current asynchronous flow (<see cref="BudgetTracker.InvokeToolAsync"/>
/// and the Semantic Kernel filter set it around their charge pipeline). The <see cref="ToolChargeContext"/> that the pipeline
/// creates takes it as its <see cref="ToolChargeContext.Tracker"/>, so that a tool can charge work of its own (for example
/// the page summariser's model call of <c>browse</c>) to the run that called it.
/// </summary>
internal static class ToolChargeTracker
{
    private static readonly AsyncLocal<BudgetTracker?> Ambient = new();

    /// <summary>Gets the tracker charging the tool call on this asynchronous flow; <see langword="null"/> outside one.</summary>
    internal static BudgetTracker? Current => Ambient.Value;

    /// <summary>Makes <paramref name="tracker"/> the current one until the returned scope is disposed.</summary>
    /// <param name="tracker">The tracker whose pipeline is about to run.</param>
    /// <returns>The scope.</returns>
    internal static AmbientScope<BudgetTracker> Enter(BudgetTracker tracker) => new(Ambient, tracker);
}
