using System.Diagnostics;
using System.Globalization;
using Agents.LocalEngine.Generation;

namespace Agents.LocalEngine.Benchmarks;

/// <summary>
/// Cost of choosing one token (microseconds per call, median of rounds) for several vocabularies and settings, with top-p
/// by rejection (the engine's path for top-p alone) against top-p by selection (quickselect, the previous path) in the
/// same run. Logits are Gaussian: spread 1 is like the benchmark's random-weight models (a near-flat distribution, the
/// worst case for top-p), spread 4 is peaked like a trained model's.
/// </summary>
internal static class SamplingCommand
{
    public static int Run(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 15;
        Console.WriteLine($"rounds={rounds} {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
        Console.WriteLine();
        Console.WriteLine("| vocab | logit spread | greedy µs | T=1 no top-p µs | top-p 0.95 selection µs | top-p 0.95 rejection µs | selection / rejection | top-k 40 + top-p 0.9 µs |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var vocab in new[] { 512, 8192, 32000 })
        {
            foreach (var spread in new[] { 1.0, 4.0 })
            {
                var rng = new Random(vocab);
                var sets = new float[16][];
                for (var s = 0; s < sets.Length; s++)
                {
                    sets[s] = new float[vocab];
                    for (var i = 0; i < vocab; i++)
                    {
                        // Box-Muller normal.
                        var g = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                        sets[s][i] = (float)(g * spread);
                    }
                }

                var greedy = Measure(new TokenSampler(vocab, true, 1f, 0, 1f, 1f, 1), sets, rounds);
                var plain = Measure(new TokenSampler(vocab, false, 1f, 0, 1f, 1f, 1), sets, rounds);
                var selection = Measure(new TokenSampler(vocab, false, 1f, 0, 0.95f, 1f, 1) { ForceSelection = true }, sets, rounds);
                var rejection = Measure(new TokenSampler(vocab, false, 1f, 0, 0.95f, 1f, 1), sets, rounds);
                var topK = Measure(new TokenSampler(vocab, false, 1f, 40, 0.9f, 1f, 1), sets, rounds);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {vocab} | {spread:F0} | {greedy:F2} | {plain:F2} | {selection:F2} | {rejection:F2} | {selection / rejection:F1} | {topK:F2} |"));
            }
        }

        return 0;
    }

    private static double Measure(TokenSampler sampler, float[][] sets, int rounds)
    {
        var vocab = sets[0].Length;
        var logits = new float[vocab];
        var seen = new bool[vocab];
        var calls = Math.Max(200, 4_000_000 / vocab);
        for (var w = 0; w < calls; w++)
        {
            sets[w % sets.Length].CopyTo(logits, 0);
            sampler.Next(logits, seen, []);
        }

        var copy = new double[rounds];
        var total = new double[rounds];
        for (var r = 0; r < rounds; r++)
        {
            // The copy of the logits (needed because Next modifies them) is timed separately and subtracted.
            var sw = Stopwatch.StartNew();
            for (var c = 0; c < calls; c++)
            {
                sets[c % sets.Length].CopyTo(logits, 0);
            }

            copy[r] = sw.Elapsed.TotalMicroseconds / calls;
            sw.Restart();
            for (var c = 0; c < calls; c++)
            {
                sets[c % sets.Length].CopyTo(logits, 0);
                sampler.Next(logits, seen, []);
            }

            total[r] = sw.Elapsed.TotalMicroseconds / calls;
        }

        Array.Sort(copy);
        Array.Sort(total);
        return total[rounds / 2] - copy[rounds / 2];
    }
}
