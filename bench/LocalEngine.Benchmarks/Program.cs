using Agents.LocalEngine.Benchmarks;
using BenchmarkDotNet.Running;

// "compare": engine vs raw ORT loop, allocations per token, n=8 shared prefill vs 8 sequential (see docs/benchmarks.md).
// Anything else goes to BenchmarkDotNet (e.g. -- --filter *Sampler*).
if (args.Length > 0 && args[0] == "compare")
{
    return await CompareCommand.RunAsync(args[1..]);
}

// "sampling [ROUNDS]": microseconds per token choice, top-p by rejection vs by selection (see docs/benchmarks.md).
if (args.Length > 0 && args[0] == "sampling")
{
    return SamplingCommand.Run(args[1..]);
}

// "steps DIR THREADS": prefill, cache broadcast and batch-1 / batch-8 decode step costs of one model folder.
if (args.Length == 3 && args[0] == "steps")
{
    return StepCostCommand.Run(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
}

// "split-steps DIR [ROWS] [ROUNDS]": a batched decode step whole against split into parallel runs (ParallelBatchRuns).
if (args.Length >= 2 && args[0] == "split-steps")
{
    return SplitStepCommand.Run(args[1], args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 8, args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 10);
}

// "constrained [--pairs N] [--threads N] [--big] [--json-mode]": constrained vs unconstrained decode step at vocab 32000 (pair ratios).
if (args.Length > 0 && args[0] == "constrained")
{
    return ConstrainedCommand.Run(args[1..]);
}

// "concurrent [--pairs N] [--tokens N] [--threads N] [--prefills N] [--parallel N] [--model small|big]": aggregate tokens/s of 1, 4
// and 8 concurrent requests (continuous batching) against the same requests one after another; medians of pair ratios.
if (args.Length > 0 && args[0] == "concurrent")
{
    return await ConcurrentCommand.RunAsync(args[1..]);
}

// "peer [--models tiny,small,big] [--load idle,busy] [--pairs N] ...": the engine against onnxruntime-genai 0.20.0
// (bench/LocalEngine.GenAiPeer, its own process), idle and with one busy process; medians of pair ratios.
if (args.Length > 0 && args[0] == "peer")
{
    return PeerCommand.Run(args[1..]);
}

// "peer-engine DIR ...": the engine side of "peer", in its own process.
if (args.Length > 1 && args[0] == "peer-engine")
{
    return await PeerCommand.RunEngineAsync(args[1..]);
}

// "write-models DIR": writes the benchmark's test models (for other engines, e.g. transformers.js).
if (args.Length == 2 && args[0] == "write-models")
{
    CompareCommand.WriteModels(args[1]);
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(CompareCommand).Assembly).Run(args);
return 0;
