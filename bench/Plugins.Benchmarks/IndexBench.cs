using System.Diagnostics;
using Agents.Plugins.Search.Local;

namespace Agents.Plugins.Benchmarks;

/// <summary>Local index search latency over generated documents, against a linear scan of the same texts.</summary>
internal static class IndexBench
{
    public static async Task RunAsync(string[] args)
    {
        var documents = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
        const int Queries = 500;
        var root = Directory.CreateTempSubdirectory("agents-index-bench-").FullName;
        try
        {
            var vocabulary = Corpus.Vocabulary(5_000, 7);
            var random = new Random(11);
            var texts = new string[documents];
            for (var i = 0; i < documents; i++)
            {
                var body = string.Join("\n\n", Enumerable.Range(0, 4).Select(_ => Corpus.Paragraph(random, vocabulary, 60)));
                texts[i] = body;
                var name = Path.Combine(root, $"doc{i:D5}" + (i % 2 == 0 ? ".md" : ".txt"));
                await File.WriteAllTextAsync(name, (i % 2 == 0 ? $"# Document {i}\n\n" : string.Empty) + body);
            }

            using var engine = new LocalIndexSearchEngine(new LocalIndexOptions { DocumentsDirectory = root, RefreshInterval = TimeSpan.FromDays(1) });
            var build = Stopwatch.StartNew();
            var refresh = await engine.RefreshAsync(default);
            build.Stop();

            var queries = Enumerable.Range(0, Queries).Select(_ => $"{vocabulary[random.Next(200, 5_000)]} {vocabulary[random.Next(200, 5_000)]}").ToArray();
            foreach (var q in queries.Take(50))
            {
                await engine.SearchAsync(q, 10, default);
            }

            var latencies = new double[Queries];
            for (var i = 0; i < Queries; i++)
            {
                var watch = Stopwatch.StartNew();
                await engine.SearchAsync(queries[i], 10, default);
                latencies[i] = watch.Elapsed.TotalMilliseconds;
            }

            // Baseline in the same run: a case-insensitive linear scan for the query words over the same texts.
            var scan = new double[50];
            for (var i = 0; i < scan.Length; i++)
            {
                var words = queries[i].Split(' ');
                var watch = Stopwatch.StartNew();
                var hits = 0;
                foreach (var text in texts)
                {
                    if (words.Any(w => text.Contains(w, StringComparison.OrdinalIgnoreCase)))
                    {
                        hits++;
                    }
                }

                scan[i] = watch.Elapsed.TotalMilliseconds;
                GC.KeepAlive(hits);
            }

            Array.Sort(latencies);
            Array.Sort(scan);
            Console.WriteLine($"documents indexed      : {refresh.Added} ({refresh.Failed} failed) in {build.Elapsed.TotalSeconds:F1} s ({refresh.Added / build.Elapsed.TotalSeconds:F0} docs/s)");
            Console.WriteLine($"index search (top 10)  : mean {latencies.Average():F2} ms, p50 {Percentile(latencies, 0.5):F2} ms, p95 {Percentile(latencies, 0.95):F2} ms over {Queries} two-word queries");
            Console.WriteLine($"linear scan baseline   : p50 {Percentile(scan, 0.5):F2} ms");
            Console.WriteLine($"speed-up vs scan (p50) : {Percentile(scan, 0.5) / Percentile(latencies, 0.5):F1}x");
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}
