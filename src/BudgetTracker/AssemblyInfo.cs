using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Agents.BudgetTracker.Tests")]
[assembly: InternalsVisibleTo("Agents.BudgetTracker.Benchmarks")]

// The Semantic Kernel adapter is released with the core, version for version: its filter runs the core's internal charge pipeline.
[assembly: InternalsVisibleTo("Agents.BudgetTracker.SemanticKernel")]
