using System.Text;
using Agents.Plugins.Memory;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;

namespace Agents.Plugins.Benchmarks.Memory;

/// <summary>
/// Full-text search over 10,000 notes: the Lucene index (incrementally updated on writes) against a regex scan
/// of every file (the baseline) and against rebuilding the index from disk.
/// Run: dotnet run -c Release --project bench/Plugins.Benchmarks -- --filter '*NoteSearch*'
/// </summary>
[SimpleJob(RuntimeMoniker.Net10_0, launchCount: 1, warmupCount: 2, iterationCount: 5)]
[MemoryDiagnoser]
public class NoteSearchBenchmarks
{
    private static readonly string[] Vocabulary =
    [
        "solar", "wind", "storage", "battery", "grid", "capacity", "price", "policy", "hydro", "nuclear", "coal", "gas",
        "emission", "carbon", "tariff", "subsidy", "demand", "supply", "turbine", "panel", "inverter", "lithium", "cobalt",
        "market", "auction", "forecast", "growth", "decline", "efficiency", "investment",
    ];

    private string _root = string.Empty;
    private MemoryWorkspace _workspace = null!;
    private FileSystemMemoryPlugin _plugin = null!;
    private int _edit;

    [Params(10_000)]
    public int Notes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _root = Path.Combine(Path.GetTempPath(), "agents-note-bench", Guid.NewGuid().ToString("N"));
        var random = new Random(42);
        for (var i = 0; i < Notes; i++)
        {
            var folder = Path.Combine(_root, "knowledge_base", $"topic{i % 50}");
            Directory.CreateDirectory(folder);
            var text = new StringBuilder();
            for (var line = 0; line < 30; line++)
            {
                for (var word = 0; word < 12; word++)
                {
                    text.Append(Vocabulary[random.Next(Vocabulary.Length)]).Append(' ');
                }

                text.Append('\n');
            }

            if (i % 1000 == 7)
            {
                text.Append("perovskite tandem record\n");
            }

            File.WriteAllText(Path.Combine(folder, $"note{i}.md"), text.ToString());
        }

        _workspace = new MemoryWorkspace(new MemoryWorkspaceOptions { RootPath = _root });
        _plugin = new FileSystemMemoryPlugin(_workspace);
        _workspace.SearchNotesAsync("warmup", 1, null, CancellationToken.None).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _workspace.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>Baseline: find the rare term by scanning every file with a regex (the grep tool).</summary>
    [Benchmark(Baseline = true)]
    public Task<string> GrepScan() => _plugin.GrepAsync("perovskite", "knowledge_base");

    /// <summary>Find the rare term with the built index.</summary>
    [Benchmark]
    public Task<IReadOnlyList<NoteSearchHit>> IndexedSearch() => _workspace.SearchNotesAsync("perovskite tandem", 10, null, CancellationToken.None);

    /// <summary>Write one note (atomic write + incremental index update), then search.</summary>
    [Benchmark]
    public async Task<IReadOnlyList<NoteSearchHit>> WriteThenSearch()
    {
        var n = Interlocked.Increment(ref _edit);
        await _workspace.WriteTextAsync("knowledge_base/new/edited.md", $"fresh finding {n} about perovskite\n", CancellationToken.None);
        return await _workspace.SearchNotesAsync("perovskite", 10, null, CancellationToken.None);
    }

    /// <summary>Drop the index and rebuild it from disk before searching (what a non-incremental index would pay).</summary>
    [Benchmark]
    public Task<IReadOnlyList<NoteSearchHit>> RebuildThenSearch()
    {
        _workspace.ResetSearchIndex();
        return _workspace.SearchNotesAsync("perovskite tandem", 10, null, CancellationToken.None);
    }
}
