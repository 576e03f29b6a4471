using Agents.Plugins.Benchmarks;
using BenchmarkDotNet.Running;

// Bench commands print figures and ratios against a baseline measured in the same run:
//   dotnet run -c Release --project bench/Plugins.Benchmarks -- browse   (pages/s, 1 and 4 agents, Chromium vs plain HTTP)
//   dotnet run -c Release --project bench/Plugins.Benchmarks -- index    (local index search latency, 10,000 documents, vs a linear scan)
// Anything else goes to BenchmarkDotNet (for example: -- --filter '*LocalIndex*').
switch (args.FirstOrDefault())
{
    case "browse":
        await BrowseBench.RunAsync(args.Skip(1).ToArray());
        break;
    case "index":
        await IndexBench.RunAsync(args.Skip(1).ToArray());
        break;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(BrowseBench).Assembly).Run(args);
        break;
}
