using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Agents.BudgetTracker.Tests")]
[assembly: InternalsVisibleTo("Agents.BudgetTracker.Benchmarks")]

// The Semantic Kernel adapter is released with the core, version for version: its filter runs the core's internal charge pipeline.
[assembly: InternalsVisibleTo("Agents.BudgetTracker.SemanticKernel")]

// The browser and reading plugins charge their own model calls (the page summariser) to the run whose tool call they serve:
// they read the internal ToolChargeContext.Tracker, released together with the core.
[assembly: InternalsVisibleTo("Agents.Plugins.Reading")]
[assembly: InternalsVisibleTo("Agents.Plugins.Browser")]
