using Agents.Planners.Bats;
using Agents.Planners.Grading;
using BenchmarkDotNet.Attributes;

namespace Agents.Planners.Benchmarks;

/// <summary>Answer normalization, majority vote and checklist plan upkeep.</summary>
[MemoryDiagnoser]
public class GradingBenchmarks
{
    private string[] _answers = null!;
    private string _plan = null!;
    private string _update = null!;

    [GlobalSetup]
    public void Setup()
    {
        string[] pool = ["The Eiffel Tower", "eiffel tower.", "Tour Eiffel", "Big Ben", "the Big Ben!", "Café Müller"];
        _answers = [.. Enumerable.Range(0, 64).Select(i => pool[(i * 7) % pool.Length])];
        _plan = string.Join('\n', Enumerable.Range(1, 20).SelectMany(i => new[] { $"{i} [ ] step {i}", $"{i}.1 [~] lead {i}.1 (spent: 3)" }));
        _update = "3 [x] done (spent: 4)\n3.2 [ ] new lead\n7.1 [!] dead end";
    }

    /// <summary>One answer through the normalizer.</summary>
    [Benchmark]
    public string Normalize() => AnswerNormalizer.Normalize("  The Café-Müller, Paris!  ");

    /// <summary>Majority vote over 64 answers.</summary>
    [Benchmark]
    public string? MajorityVote64() => MajorityVote.Elect(_answers)?.Answer;

    /// <summary>Parse a 40-step plan, apply a 3-line update, render it.</summary>
    [Benchmark]
    public string PlanParseUpdateRender()
    {
        PlanChecklist plan = PlanChecklist.Parse(_plan);
        plan.ApplyUpdate(_update);
        return plan.Render();
    }
}
