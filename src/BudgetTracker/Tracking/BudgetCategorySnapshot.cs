namespace Agents.Budget;

/// <summary>Usage of one tool category at the time of a <see cref="BudgetSnapshot"/>.</summary>
/// <param name="Name">The category name.</param>
/// <param name="Used">Units of calls that ran.</param>
/// <param name="Limit">The limit, or <see langword="null"/> when unlimited.</param>
/// <param name="Remaining">Units left, or <see langword="null"/> when unlimited.</param>
/// <param name="InFlight">Units reserved by calls still running.</param>
/// <param name="CostUsd">The cost of the used units.</param>
public sealed record BudgetCategorySnapshot(string Name, long Used, long? Limit, long? Remaining, long InFlight, decimal CostUsd);
