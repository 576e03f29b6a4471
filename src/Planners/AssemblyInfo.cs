using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Agents.Planners.Tests")]
[assembly: InternalsVisibleTo("Agents.Planners.Benchmarks")]
