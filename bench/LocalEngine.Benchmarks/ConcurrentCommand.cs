using System.Diagnostics;
using System.Globalization;
using Agents.LocalEngine.Generation;
using Agents.LocalEngine.Tests.TestModels;

namespace Agents.LocalEngine.Benchmarks;

/// <summary>
/// Continuous batching: aggregate tokens/s of 1, 4 and 8 concurrent greedy requests (different prompts) against the same
/// requests one after another, on the same engine, as medians of back-to-back pair ratios (the order within a pair
/// alternates). Also checks that every concurrent request gave exactly the tokens it gave alone.
/// Usage: <c>concurrent [--pairs N] [--tokens N] [--threads N] [--prefills N] [--parallel N] [--model small|big]...</c>.
/// </summary>
internal static class ConcurrentCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var pairs = 5;
        var tokens = 64;
        var threads = 0;
        var prefills = 1;
        var parallel = 0;
        var names = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--pairs": pairs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--tokens": tokens = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--prefills": prefills = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--parallel": parallel = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--model" when args[i + 1] is "small" or "big": names.Add(args[++i]); break;
                default:
                    Console.Error.WriteLine("usage: concurrent [--pairs N] [--tokens N] [--threads N] [--prefills N] [--parallel N] [--model small|big]...");
                    return 2;
            }
        }

        if (names.Count == 0)
        {
            names.AddRange(["small", "big"]);
        }

        var root = Path.Combine(Path.GetTempPath(), "agents-concurrent-bench-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Console.WriteLine($"pairs={pairs} tokens={tokens} threads={(threads == 0 ? "ORT default" : threads)} prefills/step={prefills} parallel batch runs={(parallel == 0 ? "engine default" : parallel)} cores={Environment.ProcessorCount} {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
            Console.WriteLine();
            Console.WriteLine("| model | requests | one after another tok/s | concurrent tok/s | concurrent / one after another (median of pairs) | CPU per token, one after another / concurrent (median) | decode steps, one after another / concurrent | decode-step run ms, one after another / concurrent (last pair) | concurrent runs split (all pairs) | identical tokens |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
            foreach (var name in names)
            {
                var spec = name == "big"
                    ? new TinyLlamaSpec { VocabSize = 32000, Hidden = 512, Layers = 8, Heads = 8, KvHeads = 4, Intermediate = 1376, MaxPositions = 512 }
                    : new TinyLlamaSpec { VocabSize = 8192, Hidden = 256, Layers = 4, Heads = 8, KvHeads = 4, Intermediate = 688, MaxPositions = 512 };
                var dir = Path.Combine(root, name);
                Console.Error.WriteLine($"Building the {name} model...");
                TestModelFactory.Create(dir, spec: spec);
                var label = string.Create(CultureInfo.InvariantCulture, $"{name} (vocab {spec.VocabSize}, hidden {spec.Hidden}, {spec.Layers} layers)");
                await MeasureAsync(label, dir, pairs, tokens, threads, prefills, parallel);
            }
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, true);
            }
        }

        return 0;
    }

    private static async Task MeasureAsync(string label, string dir, int pairs, int tokens, int threads, int prefills, int parallel)
    {
        using var engine = new LocalOnnxEngine(dir, new LocalOnnxEngineOptions { IntraOpNumThreads = threads, EnablePrefixReuse = false, MaxBatchSize = 8, MaxPrefillsPerStep = prefills, ParallelBatchRuns = parallel });
        var settings = new LocalGenerationSettings { MaxTokens = tokens, MinTokens = tokens, DoSample = false };

        // Eight different prompts of 12 to 26 tokens.
        var prompts = Enumerable.Range(0, 8)
            .Select(r => Enumerable.Range(0, 12 + (2 * r)).Select(i => ((i * 37) + (r * 101)) % (engine.VocabSize - 16) + 1).ToArray())
            .ToArray();
        await SequentialAsync(engine, prompts[..2], settings);
        await ConcurrentAsync(engine, prompts[..2], settings);
        foreach (var count in new[] { 1, 4, 8 })
        {
            var batch = prompts[..count];
            var sequential = new List<double>();
            var concurrent = new List<double>();
            var ratios = new List<double>();
            var cpuRatios = new List<double>();
            var identical = true;
            Measured one = default, many = default;
            long splitSteps = 0, concurrentSteps = 0;
            for (var p = 0; p < pairs; p++)
            {
                if (p % 2 == 0)
                {
                    one = await SequentialAsync(engine, batch, settings);
                    many = await ConcurrentAsync(engine, batch, settings);
                }
                else
                {
                    many = await ConcurrentAsync(engine, batch, settings);
                    one = await SequentialAsync(engine, batch, settings);
                }

                splitSteps += many.SplitRuns;
                if (Environment.GetEnvironmentVariable("SPLIT_DEBUG") == "1")
                {
                    Console.Error.WriteLine($"pair {p}: split {many.SplitRuns}/{many.Profile.Steps}, split us/row {engine.Session.Splits.SplitSecondsPerRow * 1e6:F1}, whole us/row {engine.Session.Splits.WholeSecondsPerRow * 1e6:F1}; " +
                        $"wall {many.Tokens.Sum(t => t.Count) / many.Rate * 1000:F1} ms, decode iterations {many.Profile.Iteration.TotalMilliseconds:F1} (run {many.Profile.Run.TotalMilliseconds:F1}, choose {many.Profile.Choose.TotalMilliseconds:F1}) ms");
                }

                concurrentSteps += many.Profile.Steps;
                sequential.Add(one.Rate);
                concurrent.Add(many.Rate);
                ratios.Add(many.Rate / one.Rate);
                cpuRatios.Add(one.CpuPerToken / many.CpuPerToken);
                identical &= one.Tokens.Zip(many.Tokens).All(t => t.First.SequenceEqual(t.Second));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {label} | {count} | {Median(sequential):F0} | {Median(concurrent):F0} | {Median(ratios):F2}x | {Median(cpuRatios):F2}x | {one.Profile.Steps} / {many.Profile.Steps} | {one.Profile.Run.TotalMilliseconds:F1} / {many.Profile.Run.TotalMilliseconds:F1} | {(concurrentSteps == 0 ? 0 : 100.0 * splitSteps / concurrentSteps):F0} % | {(identical ? "yes" : "NO")} |"));
        }
    }

    private static async Task<Measured> SequentialAsync(LocalOnnxEngine engine, int[][] prompts, LocalGenerationSettings settings)
    {
        var results = new IReadOnlyList<int>[prompts.Length];
        var profile = engine.Profile;
        var cpu = CpuClock.NowMicroseconds();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < prompts.Length; i++)
        {
            results[i] = (await engine.GenerateAsync(prompts[i], settings)).TokenIds;
        }

        var elapsed = clock.Elapsed.TotalSeconds;
        var generated = results.Sum(r => r.Count);
        return new(generated / elapsed, (CpuClock.NowMicroseconds() - cpu) / generated, engine.Profile - profile, results, 0);
    }

    private static async Task<Measured> ConcurrentAsync(LocalOnnxEngine engine, int[][] prompts, LocalGenerationSettings settings)
    {
        var profile = engine.Profile;
        var split = engine.Session.SplitRuns;
        var cpu = CpuClock.NowMicroseconds();
        var clock = Stopwatch.StartNew();
        var results = await Task.WhenAll(prompts.Select(p => engine.GenerateAsync(p, settings)));
        var elapsed = clock.Elapsed.TotalSeconds;
        var generated = results.Sum(r => r.TokenIds.Count);
        return new(generated / elapsed, (CpuClock.NowMicroseconds() - cpu) / generated, engine.Profile - profile, results.Select(r => r.TokenIds).ToArray(), engine.Session.SplitRuns - split);
    }

    /// <summary>One side of a pair: aggregate tokens/s, process CPU µs per generated token, the decode thread's profile, the tokens.</summary>
    private readonly record struct Measured(double Rate, double CpuPerToken, DecodeProfile Profile, IReadOnlyList<int>[] Tokens, long SplitRuns);

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
