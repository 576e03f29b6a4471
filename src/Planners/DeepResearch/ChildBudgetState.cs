namespace Agents.Planners.DeepResearch;

/// <summary>What the workspace holds of one child budget: whose it is, its limits, its spend and whether its run is open.</summary>
/// <param name="Owner">The topic's title, or <see cref="StoredChildBudget.WriterOwner"/>; a file of another owner is not used.</param>
/// <param name="Limits">The child's limits.</param>
/// <param name="Spend">What the child has spent, in all runs so far (a part of the parent's spend).</param>
/// <param name="Open">
/// Whether the child's run had not ended when this was written (cancelled or killed): a resumed child then gets the same
/// limits; once its run ended, its next run gets a fresh share on top of what it spent.
/// </param>
internal sealed record ChildBudgetState(string Owner, ChildLimits Limits, BudgetSpend Spend, bool Open);
