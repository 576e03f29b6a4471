using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Agents.Plugins.Tests")]
[assembly: InternalsVisibleTo("Agents.Plugins.Benchmarks")]
