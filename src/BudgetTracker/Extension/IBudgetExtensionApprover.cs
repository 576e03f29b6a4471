namespace Agents.Budget;

/// <summary>
/// Asks someone (a user in a page, on a console, a policy) whether a run may spend more units of a tool category whose
/// limit is spent. Set it as <see cref="BudgetOptions.ExtensionApprover"/> (or register it in the services before
/// <c>AddBudgetTracker</c>): a tool call refused only because its category is spent then waits for the answer, and runs
/// when more units are granted.
/// </summary>
/// <remarks>
/// Asked once at a time per tracker and category; parallel refused calls of the category wait for that answer. An
/// exception, a cancellation or 0 is a decline: the call is refused as if no approver were set.
/// </remarks>
public interface IBudgetExtensionApprover
{
    /// <summary>Asks for more units of a spent category; the tool call waits for the answer.</summary>
    /// <param name="request">What is asked: the category, the tool, the spend, the units offered and the question text.</param>
    /// <param name="cancellationToken">The run's cancellation token.</param>
    /// <returns>The units granted (usually <see cref="BudgetExtensionRequest.OfferedUnits"/>); 0 or less declines.</returns>
    ValueTask<int> RequestMoreAsync(BudgetExtensionRequest request, CancellationToken cancellationToken);
}
