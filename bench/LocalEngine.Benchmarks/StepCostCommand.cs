using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;

namespace Agents.LocalEngine.Benchmarks;

/// <summary>
/// Where the time of n=8 shared-prefix sampling goes, through the engine's session wrapper alone (no sampling or text):
/// a 32-token prefill, broadcasting its cache to 8 rows, a decode step at batch 1 and at batch 8, and the n=8 / 8 sequential
/// ratio those imply (the ceiling the engine could reach with free per-token work). Five repetitions.
/// </summary>
internal static class StepCostCommand
{
    public static int Run(string dir, int threads)
    {
        using var engine = new LocalOnnxEngine(dir, new LocalOnnxEngineOptions { IntraOpNumThreads = threads, EnablePrefixReuse = false });
        var s = engine.Session;
        var v = s.VocabSize;
        var prompt = Enumerable.Range(0, 32).Select(i => (i * 53 % (v - 16)) + 1).ToArray();
        using var ro = new RunOptions();
        var logits = new float[8 * v];
        for (var rep = 0; rep < 5; rep++)
        {
            var sw = Stopwatch.StartNew();
            using var c1 = s.CreateCache(1);
            s.Forward(prompt, 32, c1, ro, logits.AsSpan(0, v));
            var prefill = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            using var c8 = c1.CopyPrefix(c1.Length, 8);
            var copy = sw.Elapsed.TotalMilliseconds;
            using var c1b = c1.CopyPrefix(c1.Length, 1);
            var ids8 = new int[8];
            var ids1 = new int[1];
            sw.Restart();
            for (var t = 0; t < 31; t++) { for (var r = 0; r < 8; r++) ids8[r] = (t * 7 + r) % 100 + 1; s.Forward(ids8, 1, c8, ro, logits); }
            var b8 = sw.Elapsed.TotalMilliseconds / 31;
            sw.Restart();
            for (var t = 0; t < 31; t++) { ids1[0] = (t * 7) % 100 + 1; s.Forward(ids1, 1, c1b, ro, logits.AsSpan(0, v)); }
            var b1 = sw.Elapsed.TotalMilliseconds / 31;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(dir)} threads={threads}: prefill32 {prefill:F3} ms, copy->8 {copy:F3} ms, step b1 {b1:F4} ms, step b8 {b8:F4} ms, b8/b1 {b8 / b1:F2}; seq est {8 * (prefill + 31 * b1):F2} ms, batch est {prefill + copy + 31 * b8:F2} ms, ratio {8 * (prefill + 31 * b1) / (prefill + copy + 31 * b8):F2}"));
        }

        // The whole n=8 request through the engine (sampling, text, bookkeeping included), for comparison with the estimate.
        var settings = new Generation.LocalGenerationSettings { MaxTokens = 32, MinTokens = 32, Temperature = 1f, TopP = 0.95f, Seed = 42 };
        for (var w = 0; w < 3; w++)
        {
            engine.GenerateManyAsync(prompt, 8, settings).GetAwaiter().GetResult();
        }

        var times = new List<double>();
        for (var rep = 0; rep < 9; rep++)
        {
            var sw = Stopwatch.StartNew();
            engine.GenerateManyAsync(prompt, 8, settings).GetAwaiter().GetResult();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(dir)} threads={threads}: engine n=8 request median {times[4]:F2} ms"));
        return 0;
    }
}
