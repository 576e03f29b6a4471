using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Agents.BudgetTracker.Tests")]
[assembly: InternalsVisibleTo("Agents.BudgetTracker.Benchmarks")]
