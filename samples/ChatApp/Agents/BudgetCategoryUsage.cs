namespace Agents.Samples.ChatApp.Agents;

/// <summary>Units used in one tool category.</summary>
/// <param name="Name">The category, for example <c>search</c>.</param>
/// <param name="Used">Units spent.</param>
/// <param name="Limit">The limit, or <see langword="null"/> when unlimited.</param>
internal sealed record BudgetCategoryUsage(string Name, long Used, long? Limit);
