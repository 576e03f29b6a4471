using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Agents.LocalEngine.Tests")]
[assembly: InternalsVisibleTo("Agents.LocalEngine.Benchmarks")]
