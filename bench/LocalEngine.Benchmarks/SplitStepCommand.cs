using System.Diagnostics;
using System.Globalization;
using Agents.LocalEngine.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace Agents.LocalEngine.Benchmarks;

/// <summary>
/// "split-steps DIR [ROWS] [ROUNDS]": one batched decode step of ROWS rows through the engine's session, whole (ParallelBatchRuns = 1)
/// against split (the engine's default), alternating rounds of 64 steps from fresh prompts; medians of the rounds and of their ratios.
/// </summary>
internal static class SplitStepCommand
{
    public static int Run(string dir, int rows, int rounds)
    {
        using var whole = new LocalOnnxEngine(dir, new LocalOnnxEngineOptions { ParallelBatchRuns = 1, EnablePrefixReuse = false });
        using var split = new LocalOnnxEngine(dir, new LocalOnnxEngineOptions { EnablePrefixReuse = false });
        using var ro = new RunOptions();
        var logits = new float[rows * whole.VocabSize];
        var ids = Enumerable.Range(0, rows).Select(r => r + 3).ToArray();
        double Time(LocalOnnxEngine engine)
        {
            // A fresh batch each round (prompts of 16 to 16 + rows - 1 tokens), then 64 steps, as a chat request's answer.
            using var batch = Fill(engine, rows);
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < 64; i++)
            {
                batch.Step(ids, ro, logits);
            }

            return sw.Elapsed.TotalMilliseconds / 64;
        }

        Time(whole);
        Time(split);
        var w = new List<double>();
        var s = new List<double>();
        var ratios = new List<double>();
        for (var r = 0; r < rounds; r++)
        {
            double a, b;
            if (r % 2 == 0)
            {
                a = Time(whole);
                b = Time(split);
            }
            else
            {
                b = Time(split);
                a = Time(whole);
            }

            w.Add(a);
            s.Add(b);
            ratios.Add(a / b);
        }

        static double Median(List<double> x) => x.Order().ElementAt(x.Count / 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileName(dir)} rows={rows} parts={split.Session.MaxParts}: whole {Median(w):F3} ms, split {Median(s):F3} ms, whole / split {Median(ratios):F2} (median of {rounds} alternating rounds); split runs {split.Session.SplitRuns}"));
        return 0;
    }

    private static BatchKvCache Fill(LocalOnnxEngine engine, int rows)
    {
        var session = engine.Session;
        var batch = new BatchKvCache(session);
        using var ro = new RunOptions();
        var last = new float[session.VocabSize];
        for (var r = 0; r < rows; r++)
        {
            var prompt = Enumerable.Range(0, 16 + r).Select(i => ((i * 31) + r) % 200 + 3).ToArray();
            using var cache = session.CreateCache(1);
            session.Forward(prompt, prompt.Length, cache, ro, last);
            batch.Add(cache);
        }

        return batch;
    }
}
