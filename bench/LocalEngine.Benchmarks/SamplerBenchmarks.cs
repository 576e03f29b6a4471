using Agents.LocalEngine.Generation;
using BenchmarkDotNet.Attributes;

namespace Agents.LocalEngine.Benchmarks;

/// <summary>Cost of choosing one token from a 32k vocabulary (BenchmarkDotNet: <c>-- --filter *Sampler*</c>).</summary>
[MemoryDiagnoser]
public class SamplerBenchmarks
{
    private readonly float[] _source = new float[32000];
    private readonly float[] _logits = new float[32000];
    private readonly bool[] _seen = new bool[32000];
    private TokenSampler _greedy = null!;
    private TokenSampler _nucleus = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        for (var i = 0; i < _source.Length; i++)
        {
            _source[i] = (float)(rng.NextDouble() * 10);
        }

        _greedy = new TokenSampler(_source.Length, true, 1, 0, 1, 1, 1);
        _nucleus = new TokenSampler(_source.Length, false, 0.7f, 40, 0.9f, 1.1f, 1);
    }

    [Benchmark(Baseline = true)]
    public int Greedy()
    {
        _source.CopyTo(_logits, 0);
        return _greedy.Next(_logits, _seen, []);
    }

    [Benchmark]
    public int TopKTopP()
    {
        _source.CopyTo(_logits, 0);
        return _nucleus.Next(_logits, _seen, []);
    }
}
