namespace Agents.LocalEngine.Tests.TestModels;

/// <summary>Shape of a tiny Llama-style decoder used by tests and benchmarks.</summary>
public sealed record TinyLlamaSpec
{
    public int VocabSize { get; init; } = 512;
    public int Hidden { get; init; } = 64;
    public int Layers { get; init; } = 2;
    public int Heads { get; init; } = 4;
    public int KvHeads { get; init; } = 2;
    public int Intermediate { get; init; } = 128;
    public int MaxPositions { get; init; } = 256;
    public float RopeTheta { get; init; } = 10000f;
    public float RmsEps { get; init; } = 1e-5f;
    public int Seed { get; init; } = 1234;

    /// <summary>Scale of the random weights; larger values give wider logit margins.</summary>
    public float WeightScale { get; init; } = 1.0f;

    public int HeadDim => Hidden / Heads;
}
