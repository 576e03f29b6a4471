using System.Diagnostics;
using System.Globalization;
using Agents.LocalEngine.Generation;
using Agents.LocalEngine.Tests.TestModels;

namespace Agents.LocalEngine.Benchmarks;

/// <summary>
/// Same-process comparison on the same model: the engine's decode step against a minimal raw ORT loop (ratio of medians),
/// managed bytes allocated per generated token (marginal, from two lengths), and n=8 shared-prefix sampling against
/// 8 sequential generations.
/// </summary>
internal static class CompareCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = 9;
        var tokens = 64;
        var threads = 0;
        var models = new List<(string Name, string Dir)>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--model": models.Add((Path.GetFileName(args[i + 1].TrimEnd('/')), args[++i])); break;
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--tokens": tokens = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine("usage: compare [--model DIR]... [--runs N] [--tokens N] [--threads N]");
                    return 2;
            }
        }

        var temp = Path.Combine(Path.GetTempPath(), "agents-localengine-bench-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            if (models.Count == 0)
            {
                Console.Error.WriteLine("Building test models...");
                WriteModels(temp);
                models.Add(("tiny (vocab 512, hidden 64, 2 layers)", Path.Combine(temp, "tiny")));
                models.Add(("small (vocab 8192, hidden 256, 4 layers)", Path.Combine(temp, "small")));
            }

            Console.WriteLine($"runs={runs} tokens={tokens} threads={(threads == 0 ? "ORT default" : threads)} cores={Environment.ProcessorCount} {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
            Console.WriteLine();
            Console.WriteLine("| model | raw ORT loop CPU ms/token | engine CPU ms/token | engine / raw (CPU) | engine / raw (wall) | engine alloc B/token (tokens 32-96 / 96-160) | raw alloc B/token | 8 sequential (reuse off) tok/s | 8 sequential (reuse on) tok/s | n=8 batch tok/s | batch / sequential (wall) | batch / sequential (CPU) |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (var (name, dir) in models)
            {
                await CompareModelAsync(name, dir, runs, tokens, threads);
            }

            if (Directory.Exists(Path.Combine(temp, "tiny-gqa")))
            {
                Console.WriteLine();
                Console.WriteLine("Decode steps 16-400, engine CPU ms/token, same weights:");
                Console.WriteLine();
                Console.WriteLine("| model | Optimum export as it is (Concat cache) | Optimum export fused at load (FuseAttention) | genai GQA export, past_present_share_buffer | as it is / fused | fused / genai GQA |");
                Console.WriteLine("|---|---|---|---|---|---|");
                CompareSharedBuffer(Path.Combine(temp, "tiny"), Path.Combine(temp, "tiny-gqa"), "tiny", Math.Max(3, runs / 4), threads);
                CompareSharedBuffer(Path.Combine(temp, "small"), Path.Combine(temp, "small-gqa"), "small", Math.Max(3, runs / 4), threads);
            }
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, true);
            }
        }

        return 0;
    }

    /// <summary>Writes the tiny and small benchmark models (Optimum layout) under <paramref name="root"/>.</summary>
    public static void WriteModels(string root)
    {
        var small = new TinyLlamaSpec { VocabSize = 8192, Hidden = 256, Layers = 4, Heads = 8, KvHeads = 4, Intermediate = 688, MaxPositions = 512 };
        TestModelFactory.Create(Path.Combine(root, "tiny"));
        TestModelFactory.Create(Path.Combine(root, "small"), spec: small);
        TestModelFactory.Create(Path.Combine(root, "tiny-gqa"), TestLayout.GenAiSharedBuffer);
        TestModelFactory.Create(Path.Combine(root, "small-gqa"), TestLayout.GenAiSharedBuffer, spec: small);
    }

    /// <summary>Marginal CPU ms per decode step of an engine (long minus short generation).</summary>
    private static double EngineCpuPerToken(LocalOnnxEngine engine, int[] prompt, int shortRun, int longRun)
    {
        LocalGenerationSettings S(int n) => new() { MaxTokens = n + 1, MinTokens = n + 1, DoSample = false };
        var a = CpuClock.NowMicroseconds();
        engine.GenerateAsync(prompt, S(shortRun)).GetAwaiter().GetResult();
        var b = CpuClock.NowMicroseconds();
        engine.GenerateAsync(prompt, S(longRun)).GetAwaiter().GetResult();
        var c = CpuClock.NowMicroseconds();
        return ((c - b) - (b - a)) / 1000 / (longRun - shortRun);
    }

    /// <summary>Same weights, two exports: Optimum (Concat grows a new cache each step) vs genai GQA with a shared buffer.</summary>
    private static void CompareSharedBuffer(string optimumDir, string gqaDir, string name, int runs, int threads)
    {
        var options = new LocalOnnxEngineOptions { IntraOpNumThreads = threads, EnablePrefixReuse = false };
        using var optimum = new LocalOnnxEngine(optimumDir, new LocalOnnxEngineOptions { IntraOpNumThreads = threads, EnablePrefixReuse = false, FuseAttention = false });
        using var fused = new LocalOnnxEngine(optimumDir, options);
        using var gqa = new LocalOnnxEngine(gqaDir, options);
        if (!fused.Descriptor.AttentionFused)
        {
            Console.Error.WriteLine($"warning: {name}: the Optimum export was not fused");
        }

        var prompt = Enumerable.Range(0, 16).Select(i => (i * 37 % (optimum.VocabSize - 16)) + 1).ToArray();
        EngineCpuPerToken(optimum, prompt, 16, 32);
        EngineCpuPerToken(fused, prompt, 16, 32);
        EngineCpuPerToken(gqa, prompt, 16, 32);
        var a = new List<double>();
        var f = new List<double>();
        var b = new List<double>();
        for (var r = 0; r < runs; r++)
        {
            a.Add(EngineCpuPerToken(optimum, prompt, 16, 400));
            f.Add(EngineCpuPerToken(fused, prompt, 16, 400));
            b.Add(EngineCpuPerToken(gqa, prompt, 16, 400));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {Median(a):F4} | {Median(f):F4} | {Median(b):F4} | {Median(a) / Median(f):F2} | {Median(f) / Median(b):F2} |"));
    }

    private static async Task CompareModelAsync(string name, string dir, int runs, int tokens, int threads)
    {
        // Engine against the raw loop on the same graph: the export as it is. Allocation and n = 8: the default engine (fused).
        var options = new LocalOnnxEngineOptions { IntraOpNumThreads = threads, EnablePrefixReuse = false };
        using var engine = new LocalOnnxEngine(dir, options);
        using var plain = new LocalOnnxEngine(dir, new LocalOnnxEngineOptions { IntraOpNumThreads = threads, EnablePrefixReuse = false, FuseAttention = false });
        using var raw = new RawOrtLoop(engine.Descriptor.ModelPath, threads);
        var prompt = Enumerable.Range(0, 16).Select(i => (i * 37 % (engine.VocabSize - 16)) + 1).ToArray();
        var greedy = new LocalGenerationSettings { MaxTokens = tokens + 1, MinTokens = tokens + 1, DoSample = false };

        // Warm up both, and check they produce the same tokens.
        var check = await plain.GenerateAsync(prompt, greedy);
        var rawCheck = raw.Run(prompt, tokens);
        // The raw loop does not suppress end-of-sequence tokens; compare up to the first one it picks.
        var firstEos = rawCheck.Tokens.FindIndex(t => plain.EndOfSequenceTokenIds.Contains(t));
        var comparable = firstEos < 0 ? rawCheck.Tokens.Count : firstEos;
        if (!check.TokenIds.Take(comparable).SequenceEqual(rawCheck.Tokens.Take(comparable)))
        {
            Console.Error.WriteLine($"warning: {name}: engine and raw loop tokens differ");
        }

        var rawMs = new List<double>();
        var engineMs = new List<double>();
        var forwardMs = new List<double>();
        var rawCpu = new List<double>();
        var engineCpu = new List<double>();
        const int cpuShort = 16, cpuLong = 144;

        // Marginal CPU time per decode step: (CPU of a long run - CPU of a short run) / extra steps; prefill cancels out.
        double RawCpu()
        {
            var a = CpuClock.NowMicroseconds();
            raw.Run(prompt, cpuShort);
            var b = CpuClock.NowMicroseconds();
            raw.Run(prompt, cpuLong);
            var c = CpuClock.NowMicroseconds();
            return ((c - b) - (b - a)) / 1000 / (cpuLong - cpuShort);
        }

        double EngineCpu()
        {
            LocalGenerationSettings S(int n) => new() { MaxTokens = n + 1, MinTokens = n + 1, DoSample = false };
            var a = CpuClock.NowMicroseconds();
            plain.GenerateAsync(prompt, S(cpuShort)).GetAwaiter().GetResult();
            var b = CpuClock.NowMicroseconds();
            plain.GenerateAsync(prompt, S(cpuLong)).GetAwaiter().GetResult();
            var c = CpuClock.NowMicroseconds();
            return ((c - b) - (b - a)) / 1000 / (cpuLong - cpuShort);
        }
        for (var r = 0; r < runs; r++)
        {
            // Alternate the order so that drifting load hits both sides alike.
            if (r % 2 == 0)
            {
                rawMs.Add(raw.Run(prompt, tokens).DecodeSeconds * 1000 / tokens);
            }

            var result = await plain.GenerateAsync(prompt, greedy);
            engineMs.Add(result.DecodeTime.TotalMilliseconds / result.DecodeSteps);
            if (r % 2 == 1)
            {
                rawMs.Add(raw.Run(prompt, tokens).DecodeSeconds * 1000 / tokens);
            }

            var fa = CpuClock.NowMicroseconds();
            ForwardOnly(plain, prompt, cpuShort);
            var fb = CpuClock.NowMicroseconds();
            ForwardOnly(plain, prompt, cpuLong);
            var fc = CpuClock.NowMicroseconds();
            forwardMs.Add(((fc - fb) - (fb - fa)) / 1000 / (cpuLong - cpuShort));
            if (r % 2 == 0)
            {
                rawCpu.Add(RawCpu());
                engineCpu.Add(EngineCpu());
            }
            else
            {
                engineCpu.Add(EngineCpu());
                rawCpu.Add(RawCpu());
            }
        }

        // Marginal managed allocation per token: difference between a long and a short generation.
        double EngineAlloc(int n)
        {
            var before = GC.GetTotalAllocatedBytes(true);
            engine.GenerateAsync(prompt, new LocalGenerationSettings { MaxTokens = n, MinTokens = n, DoSample = false }).GetAwaiter().GetResult();
            return GC.GetTotalAllocatedBytes(true) - before;
        }

        double RawAlloc(int n)
        {
            var before = GC.GetTotalAllocatedBytes(true);
            raw.Run(prompt, n - 1);
            return GC.GetTotalAllocatedBytes(true) - before;
        }

        // The default engine has not run yet: warm it up so that its first-use allocations are not counted.
        await engine.GenerateAsync(prompt, greedy);
        const int shortRun = 32, midRun = 96, longRun = 160;
        double e32 = EngineAlloc(shortRun), e96 = EngineAlloc(midRun), e160 = EngineAlloc(longRun);
        var engineAlloc = (e160 - e32) / (longRun - shortRun);
        var engineEarly = (e96 - e32) / (midRun - shortRun);
        var engineLate = (e160 - e96) / (longRun - midRun);
        var rawAlloc = (RawAlloc(longRun) - RawAlloc(shortRun)) / (longRun - shortRun);

        // n = 8 samples of one 32-token prompt, 32 new tokens each.
        var longPrompt = Enumerable.Range(0, 32).Select(i => (i * 53 % (engine.VocabSize - 16)) + 1).ToArray();
        LocalGenerationSettings Sampling() => new() { MaxTokens = 32, MinTokens = 32, Temperature = 1f, TopP = 0.95f, Seed = 42 };
        using var reuse = new LocalOnnxEngine(dir, new LocalOnnxEngineOptions { IntraOpNumThreads = threads });
        await engine.GenerateManyAsync(longPrompt, 8, Sampling());
        var seqOff = new List<double>();
        var seqOn = new List<double>();
        var batch = new List<double>();
        var seqOffCpu = new List<double>();
        var batchCpu = new List<double>();
        for (var r = 0; r < Math.Max(3, runs / 2); r++)
        {
            var cpu = CpuClock.NowMicroseconds();
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < 8; i++)
            {
                await engine.GenerateAsync(longPrompt, Sampling());
            }

            seqOff.Add(8 * 32 / sw.Elapsed.TotalSeconds);
            seqOffCpu.Add(8 * 32 / ((CpuClock.NowMicroseconds() - cpu) / 1e6));
            sw.Restart();
            for (var i = 0; i < 8; i++)
            {
                await reuse.GenerateAsync(longPrompt, Sampling());
            }

            seqOn.Add(8 * 32 / sw.Elapsed.TotalSeconds);
            cpu = CpuClock.NowMicroseconds();
            sw.Restart();
            await engine.GenerateManyAsync(longPrompt, 8, Sampling());
            batch.Add(8 * 32 / sw.Elapsed.TotalSeconds);
            batchCpu.Add(8 * 32 / ((CpuClock.NowMicroseconds() - cpu) / 1e6));
        }

        double rawMed = Median(rawMs), engMed = Median(engineMs);
        double rawCpuMed = Median(rawCpu), engCpuMed = Median(engineCpu);

        // Ratios are medians of per-pair ratios: the two sides of a pair ran back to back, so drifting machine speed
        // (this shared 2-core VM's speed varies by +-10% from minute to minute) cancels within a pair.
        static double PairMedian(List<double> a, List<double> b) => Median(a.Zip(b, (x, y) => x / y).ToList());
        var cpuRatio = PairMedian(engineCpu, rawCpu);
        var wallRatio = PairMedian(engineMs, rawMs);
        var batchRatio = PairMedian(batch, seqOff);
        var batchCpuRatio = PairMedian(batchCpu, seqOffCpu);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: session.Forward alone (no sampling/text) CPU {Median(forwardMs):F4} ms/token"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {rawCpuMed:F4} | {engCpuMed:F4} | {cpuRatio:F3} | {wallRatio:F3} | {engineAlloc:F0} ({engineEarly:F0} / {engineLate:F0}) | {rawAlloc:F0} | {Median(seqOff):F0} | {Median(seqOn):F0} | {Median(batch):F0} | {batchRatio:F2} | {batchCpuRatio:F2} |"));
    }

    /// <summary>Decode steps through the engine's session wrapper alone (no sampling or text), for diagnosis.</summary>
    private static double ForwardOnly(LocalOnnxEngine engine, int[] prompt, int steps)
    {
        var session = engine.Session;
        using var cache = session.CreateCache(1);
        using var ro = new Microsoft.ML.OnnxRuntime.RunOptions();
        var logits = new float[session.VocabSize];
        session.Forward(prompt, prompt.Length, cache, ro, logits);
        var next = new int[1];
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < steps; i++)
        {
            next[0] = (i * 7 % 100) + 1;
            session.Forward(next, 1, cache, ro, logits);
        }

        return sw.Elapsed.TotalMilliseconds / steps;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
