using Agents.LocalEngine.Benchmarks;
using BenchmarkDotNet.Running;

// "compare": engine vs raw ORT loop, allocations per token, n=8 shared prefill vs 8 sequential (see docs/benchmarks.md).
// Anything else goes to BenchmarkDotNet (e.g. -- --filter *Sampler*).
if (args.Length > 0 && args[0] == "compare")
{
    return await CompareCommand.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(CompareCommand).Assembly).Run(args);
return 0;
