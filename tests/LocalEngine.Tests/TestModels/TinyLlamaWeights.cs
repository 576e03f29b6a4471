namespace Agents.LocalEngine.Tests.TestModels;

/// <summary>Random weights of a tiny Llama decoder; matrices are stored [in, out] row-major (ONNX MatMul layout).</summary>
public sealed class TinyLlamaWeights
{
    public required TinyLlamaSpec Spec { get; init; }
    public required float[] Embed { get; init; }      // [V, H]
    public required LayerWeights[] Layers { get; init; }
    public required float[] FinalNorm { get; init; }  // [H]
    public required float[] LmHead { get; init; }     // [H, V]

    public sealed class LayerWeights
    {
        public required float[] InputNorm { get; init; }
        public required float[] Wq { get; init; }     // [H, Heads*D]
        public required float[] Wk { get; init; }     // [H, KvHeads*D]
        public required float[] Wv { get; init; }
        public required float[] Wo { get; init; }     // [Heads*D, H]
        public required float[] PostNorm { get; init; }
        public required float[] Wgate { get; init; }  // [H, I]
        public required float[] Wup { get; init; }
        public required float[] Wdown { get; init; }  // [I, H]
    }

    public static TinyLlamaWeights Create(TinyLlamaSpec spec)
    {
        var rng = new Random(spec.Seed);
        float[] Mat(int rows, int cols, float scale)
        {
            var a = new float[rows * cols];
            var s = scale / MathF.Sqrt(rows);
            for (var i = 0; i < a.Length; i++)
            {
                a[i] = (float)((rng.NextDouble() * 2 - 1) * Math.Sqrt(3)) * s;
            }

            return a;
        }

        float[] Norm(int n)
        {
            var a = new float[n];
            for (var i = 0; i < n; i++)
            {
                a[i] = 1f + (float)(rng.NextDouble() - 0.5) * 0.2f;
            }

            return a;
        }

        var h = spec.Hidden;
        var d = spec.HeadDim;
        var embed = new float[spec.VocabSize * h];
        for (var i = 0; i < embed.Length; i++)
        {
            embed[i] = (float)((rng.NextDouble() * 2 - 1) * Math.Sqrt(3));
        }

        var layers = new LayerWeights[spec.Layers];
        for (var l = 0; l < spec.Layers; l++)
        {
            layers[l] = new LayerWeights
            {
                InputNorm = Norm(h),
                Wq = Mat(h, spec.Heads * d, spec.WeightScale),
                Wk = Mat(h, spec.KvHeads * d, spec.WeightScale),
                Wv = Mat(h, spec.KvHeads * d, spec.WeightScale),
                Wo = Mat(spec.Heads * d, h, spec.WeightScale),
                PostNorm = Norm(h),
                Wgate = Mat(h, spec.Intermediate, spec.WeightScale),
                Wup = Mat(h, spec.Intermediate, spec.WeightScale),
                Wdown = Mat(spec.Intermediate, h, spec.WeightScale),
            };
        }

        return new TinyLlamaWeights
        {
            Spec = spec,
            Embed = embed,
            Layers = layers,
            FinalNorm = Norm(h),
            LmHead = Mat(h, spec.VocabSize, spec.WeightScale * 4f),
        };
    }
}
