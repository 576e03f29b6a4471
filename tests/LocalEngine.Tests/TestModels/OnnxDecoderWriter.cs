using Agents.LocalEngine.Loading.Fusion.Onnx;
using Google.Protobuf;

namespace Agents.LocalEngine.Tests.TestModels;

/// <summary>Names of the graph inputs and outputs a test model is written with.</summary>
public sealed record DecoderNames
{
    public string InputIds { get; init; } = "input_ids";
    public string AttentionMask { get; init; } = "attention_mask";
    public string? PositionIds { get; init; } = "position_ids";
    public string PastKey { get; init; } = "past_key_values.{0}.key";
    public string PastValue { get; init; } = "past_key_values.{0}.value";
    public string Logits { get; init; } = "logits";
    public string PresentKey { get; init; } = "present.{0}.key";
    public string PresentValue { get; init; } = "present.{0}.value";
}

/// <summary>Writes a Llama-style decoder with KV cache in/out as an ONNX graph of standard opset-17 operators.</summary>
public static class OnnxDecoderWriter
{
    /// <summary>Writes the model; with <paramref name="externalDataFile"/> set, float initializers go to that file next to it.</summary>
    /// <remarks>
    /// With <paramref name="positionLogits"/> ([MaxPositions, VocabSize]) the logits become that table's row for each
    /// position (the network still runs, multiplied by 0): a scripted model whose replies tests can choose.
    /// With <paramref name="shapeScale"/> the scores' scale is computed at run time from the query's head size, as torch exports
    /// scaled_dot_product_attention: √(1/√head_dim) from Shape(q), applied to q and to Kᵀ.
    /// </remarks>
    public static void Write(string path, TinyLlamaWeights w, DecoderNames names, string? externalDataFile = null, float[]? positionLogits = null, bool groupQueryAttention = false, bool float16Io = false, bool shapeScale = false)
    {
        if (groupQueryAttention)
        {
            WriteGroupQueryAttention(path, w, names);
            return;
        }

        var g = new GraphBuilder();
        var s = w.Spec;
        int d = s.HeadDim, nh = s.Heads, kvh = s.KvHeads, hsz = s.Hidden, rep = nh / kvh;

        g.Input(names.InputIds, TensorProto.Types.DataType.Int64, "batch", "seq");
        g.Input(names.AttentionMask, TensorProto.Types.DataType.Int64, "batch", "total");
        if (names.PositionIds is not null)
        {
            g.Input(names.PositionIds, TensorProto.Types.DataType.Int64, "batch", "seq");
        }

        // float16Io: KV cache and logits cross the graph boundary as float16 (like model_fp16.onnx); math stays float32.
        var io = float16Io ? TensorProto.Types.DataType.Float16 : TensorProto.Types.DataType.Float;
        for (var l = 0; l < s.Layers; l++)
        {
            g.Input(string.Format(null, names.PastKey, l), io, "batch", kvh, "past", d);
            g.Input(string.Format(null, names.PastValue, l), io, "batch", kvh, "past", d);
        }

        string ToFloat(string x) => float16Io ? g.Op("Cast", [x], ("to", (long)TensorProto.Types.DataType.Float)) : x;

        // Shapes and positions.
        var shapeIds = g.Op("Shape", [names.InputIds]);
        var seqLen = g.Op("Slice", [shapeIds, g.I64([1]), g.I64([2])]);
        var shapeMask = g.Op("Shape", [names.AttentionMask]);
        var total = g.Op("Slice", [shapeMask, g.I64([1]), g.I64([2])]);
        string positions;
        if (names.PositionIds is not null)
        {
            positions = names.PositionIds;
        }
        else
        {
            var cum = g.Op("CumSum", [names.AttentionMask, g.I64Scalar(1)]);
            var pm = g.Op("Sub", [cum, g.I64Scalar(1)]);
            var negS = g.Op("Neg", [seqLen]);
            positions = g.Op("Slice", [pm, negS, g.I64([long.MaxValue]), g.I64([1])]);
        }

        // Additive mask [B,1,S,T] = causal[T-S:T, 0:T] + (mask-1)*1e9.
        var causal = new float[s.MaxPositions * s.MaxPositions];
        for (var i = 0; i < s.MaxPositions; i++)
        {
            for (var j = i + 1; j < s.MaxPositions; j++)
            {
                causal[(i * s.MaxPositions) + j] = -1e9f;
            }
        }

        var causalT = g.F32("causal_table", causal, s.MaxPositions, s.MaxPositions);
        var start = g.Op("Sub", [total, seqLen]);
        var starts = g.Op("Concat", [start, g.I64([0])], ("axis", 0L));
        var ends = g.Op("Concat", [total, total], ("axis", 0L));
        var causalSlice = g.Op("Slice", [causalT, starts, ends, g.I64([0, 1])]);
        var maskF = g.Op("Cast", [names.AttentionMask], ("to", (long)TensorProto.Types.DataType.Float));
        var padAdd = g.Op("Mul", [g.Op("Sub", [maskF, g.F32Scalar(1f)]), g.F32Scalar(1e9f)]);
        var pad4 = g.Op("Unsqueeze", [padAdd, g.I64([1, 2])]);
        var mask = g.Op("Add", [causalSlice, pad4]);

        // Rotary tables [maxPos, D/2].
        var half = d / 2;
        var (cosT, sinT) = RopeTables(s, d);

        var cos = g.Op("Unsqueeze", [g.Op("Gather", [g.F32("rope_cos", cosT, s.MaxPositions, half), positions]), g.I64([1])]);
        var sin = g.Op("Unsqueeze", [g.Op("Gather", [g.F32("rope_sin", sinT, s.MaxPositions, half), positions]), g.I64([1])]);

        string Rope(string x)
        {
            var x1 = g.Op("Slice", [x, g.I64([0]), g.I64([half]), g.I64([3])]);
            var x2 = g.Op("Slice", [x, g.I64([half]), g.I64([d]), g.I64([3])]);
            var r1 = g.Op("Sub", [g.Op("Mul", [x1, cos]), g.Op("Mul", [x2, sin])]);
            var r2 = g.Op("Add", [g.Op("Mul", [x2, cos]), g.Op("Mul", [x1, sin])]);
            return g.Op("Concat", [r1, r2], ("axis", 3L));
        }

        string RmsNorm(string x, string weightName, float[] weight) => Norm(g, s, x, weightName, weight);

        string Heads(string x, int count) =>
            g.Op("Transpose", [g.Op("Reshape", [x, g.I64([0, 0, count, d])])], ("perm", new long[] { 0, 2, 1, 3 }));

        string ExpandKv(string x) => rep == 1
            ? x
            : g.Op("Reshape", [g.Op("Expand", [g.Op("Unsqueeze", [x, g.I64([2])]), g.I64([1, 1, rep, 1, 1])]), g.I64([0, nh, -1, d])]);

        var h = g.Op("Gather", [g.F32("embed_tokens", w.Embed, s.VocabSize, hsz), names.InputIds]);
        var scale = g.F32Scalar(1f / MathF.Sqrt(d));
        for (var l = 0; l < s.Layers; l++)
        {
            var lw = w.Layers[l];
            var xn = RmsNorm(h, $"l{l}.input_norm", lw.InputNorm);
            var q = Rope(Heads(g.Op("MatMul", [xn, g.F32($"l{l}.wq", lw.Wq, hsz, nh * d)]), nh));
            var k = Rope(Heads(g.Op("MatMul", [xn, g.F32($"l{l}.wk", lw.Wk, hsz, kvh * d)]), kvh));
            var v = Heads(g.Op("MatMul", [xn, g.F32($"l{l}.wv", lw.Wv, hsz, kvh * d)]), kvh);
            var presentK = float16Io ? $"l{l}.present_k32" : string.Format(null, names.PresentKey, l);
            var presentV = float16Io ? $"l{l}.present_v32" : string.Format(null, names.PresentValue, l);
            g.OpTo("Concat", [ToFloat(string.Format(null, names.PastKey, l)), k], presentK, ("axis", 2L));
            g.OpTo("Concat", [ToFloat(string.Format(null, names.PastValue, l)), v], presentV, ("axis", 2L));
            if (float16Io)
            {
                g.OpTo("Cast", [presentK], string.Format(null, names.PresentKey, l), ("to", (long)TensorProto.Types.DataType.Float16));
                g.OpTo("Cast", [presentV], string.Format(null, names.PresentValue, l), ("to", (long)TensorProto.Types.DataType.Float16));
            }
            var kt = g.Op("Transpose", [ExpandKv(presentK)], ("perm", new long[] { 0, 1, 3, 2 }));
            string scores;
            if (shapeScale)
            {
                var headSize = g.Op("Cast", [g.Op("Slice", [g.Op("Shape", [q]), g.I64([-1]), g.I64([long.MaxValue])])], ("to", (long)TensorProto.Types.DataType.Float));
                var rootScale = g.Op("Sqrt", [g.Op("Reciprocal", [g.Op("Sqrt", [headSize])])]);
                scores = g.Op("Add", [g.Op("MatMul", [g.Op("Mul", [q, rootScale]), g.Op("Mul", [kt, rootScale])]), mask]);
            }
            else
            {
                scores = g.Op("Add", [g.Op("Mul", [g.Op("MatMul", [q, kt]), scale]), mask]);
            }

            var probs = g.Op("Softmax", [scores], ("axis", -1L));
            var att = g.Op("MatMul", [probs, ExpandKv(presentV)]);
            var merged = g.Op("Reshape", [g.Op("Transpose", [att], ("perm", new long[] { 0, 2, 1, 3 })), g.I64([0, 0, nh * d])]);
            h = g.Op("Add", [h, g.Op("MatMul", [merged, g.F32($"l{l}.wo", lw.Wo, nh * d, hsz)])]);
            h = Mlp(g, s, l, lw, h);
        }

        var hn = RmsNorm(h, "final_norm", w.FinalNorm);
        if (positionLogits is null && float16Io)
        {
            g.OpTo("Cast", [g.Op("MatMul", [hn, g.F32("lm_head", w.LmHead, hsz, s.VocabSize)])], names.Logits, ("to", (long)TensorProto.Types.DataType.Float16));
        }
        else if (positionLogits is null)
        {
            g.OpTo("MatMul", [hn, g.F32("lm_head", w.LmHead, hsz, s.VocabSize)], names.Logits);
        }
        else
        {
            var network = g.Op("Mul", [g.Op("MatMul", [hn, g.F32("lm_head", w.LmHead, hsz, s.VocabSize)]), g.F32Scalar(0f)]);
            var script = g.Op("Gather", [g.F32("script_logits", positionLogits, s.MaxPositions, s.VocabSize), positions]);
            g.OpTo("Add", [network, script], names.Logits);
        }

        g.Output(names.Logits, io, "batch", "seq", s.VocabSize);
        for (var l = 0; l < s.Layers; l++)
        {
            g.Output(string.Format(null, names.PresentKey, l), io, "batch", kvh, "total", d);
            g.Output(string.Format(null, names.PresentValue, l), io, "batch", kvh, "total", d);
        }

        g.Save(path, externalDataFile);
    }

    /// <summary>RMS norm of <paramref name="x"/> over its last axis, scaled by <paramref name="weight"/>.</summary>
    private static string Norm(GraphBuilder g, TinyLlamaSpec s, string x, string weightName, float[] weight)
    {
        var ms = g.Op("ReduceMean", [g.Op("Mul", [x, x])], ("axes", new long[] { -1 }), ("keepdims", 1L));
        var inv = g.Op("Reciprocal", [g.Op("Sqrt", [g.Op("Add", [ms, g.F32Scalar(s.RmsEps)])])]);
        return g.Op("Mul", [g.Op("Mul", [x, inv]), g.F32(weightName, weight, weight.Length)]);
    }

    /// <summary>The second half of layer <paramref name="l"/>: RMS norm, SwiGLU MLP, and the residual added to <paramref name="h"/>.</summary>
    private static string Mlp(GraphBuilder g, TinyLlamaSpec s, int l, TinyLlamaWeights.LayerWeights lw, string h)
    {
        var hsz = s.Hidden;
        var xn2 = Norm(g, s, h, $"l{l}.post_norm", lw.PostNorm);
        var gate = g.Op("MatMul", [xn2, g.F32($"l{l}.wgate", lw.Wgate, hsz, s.Intermediate)]);
        var up = g.Op("MatMul", [xn2, g.F32($"l{l}.wup", lw.Wup, hsz, s.Intermediate)]);
        var act = g.Op("Mul", [g.Op("Mul", [gate, g.Op("Sigmoid", [gate])]), up]);
        return g.Op("Add", [h, g.Op("MatMul", [act, g.F32($"l{l}.wdown", lw.Wdown, s.Intermediate, hsz)])]);
    }

    /// <summary>The rotary tables [MaxPositions, D/2]: cos and sin of each position times each inverse frequency.</summary>
    private static (float[] Cos, float[] Sin) RopeTables(TinyLlamaSpec s, int d)
    {
        var half = d / 2;
        var cosT = new float[s.MaxPositions * half];
        var sinT = new float[s.MaxPositions * half];
        for (var p = 0; p < s.MaxPositions; p++)
        {
            for (var i = 0; i < half; i++)
            {
                var invFreq = 1.0 / Math.Pow(s.RopeTheta, 2.0 * i / d);
                cosT[(p * half) + i] = (float)Math.Cos(p * invFreq);
                sinT[(p * half) + i] = (float)Math.Sin(p * invFreq);
            }
        }

        return (cosT, sinT);
    }

    /// <summary>
    /// The same decoder with com.microsoft GroupQueryAttention (rotary inside the op, KV cache [batch, kv_heads, max, head_dim]),
    /// as onnxruntime-genai exports it: no position_ids; seqlens_k and total_sequence_length come from attention_mask.
    /// Run with the present outputs bound to the past buffers, the cache is shared (past_present_share_buffer).
    /// </summary>
    private static void WriteGroupQueryAttention(string path, TinyLlamaWeights w, DecoderNames names)
    {
        var g = new GraphBuilder();
        var s = w.Spec;
        int d = s.HeadDim, nh = s.Heads, kvh = s.KvHeads, hsz = s.Hidden;
        g.Input(names.InputIds, TensorProto.Types.DataType.Int64, "batch", "seq");
        g.Input(names.AttentionMask, TensorProto.Types.DataType.Int64, "batch", "total");
        for (var l = 0; l < s.Layers; l++)
        {
            g.Input(string.Format(null, names.PastKey, l), TensorProto.Types.DataType.Float, "batch", kvh, "past", d);
            g.Input(string.Format(null, names.PastValue, l), TensorProto.Types.DataType.Float, "batch", kvh, "past", d);
        }

        var seqlens = g.Op("Cast", [g.Op("Sub", [g.Op("ReduceSum", [names.AttentionMask, g.I64([1])], ("keepdims", 0L)), g.I64Scalar(1)])], ("to", (long)TensorProto.Types.DataType.Int32));
        var total = g.Op("Cast", [g.Op("Gather", [g.Op("Shape", [names.AttentionMask]), g.I64Scalar(1)])], ("to", (long)TensorProto.Types.DataType.Int32));
        var half = d / 2;
        var (cosT, sinT) = RopeTables(s, d);

        var cos = g.F32("rope_cos", cosT, s.MaxPositions, half);
        var sin = g.F32("rope_sin", sinT, s.MaxPositions, half);

        string RmsNorm(string x, string weightName, float[] weight) => Norm(g, s, x, weightName, weight);

        var h = g.Op("Gather", [g.F32("embed_tokens", w.Embed, s.VocabSize, hsz), names.InputIds]);
        for (var l = 0; l < s.Layers; l++)
        {
            var lw = w.Layers[l];
            var xn = RmsNorm(h, $"l{l}.input_norm", lw.InputNorm);
            var q = g.Op("MatMul", [xn, g.F32($"l{l}.wq", lw.Wq, hsz, nh * d)]);
            var k = g.Op("MatMul", [xn, g.F32($"l{l}.wk", lw.Wk, hsz, kvh * d)]);
            var v = g.Op("MatMul", [xn, g.F32($"l{l}.wv", lw.Wv, hsz, kvh * d)]);
            var att = $"l{l}.attention";
            g.Node("GroupQueryAttention", "com.microsoft",
                [q, k, v, string.Format(null, names.PastKey, l), string.Format(null, names.PastValue, l), seqlens, total, cos, sin],
                [att, string.Format(null, names.PresentKey, l), string.Format(null, names.PresentValue, l)],
                ("num_heads", (long)nh), ("kv_num_heads", (long)kvh), ("do_rotary", 1L), ("rotary_interleaved", 0L));
            h = g.Op("Add", [h, g.Op("MatMul", [att, g.F32($"l{l}.wo", lw.Wo, nh * d, hsz)])]);
            h = Mlp(g, s, l, lw, h);
        }

        var hn = RmsNorm(h, "final_norm", w.FinalNorm);
        g.OpTo("MatMul", [hn, g.F32("lm_head", w.LmHead, hsz, s.VocabSize)], names.Logits);
        g.Output(names.Logits, TensorProto.Types.DataType.Float, "batch", "seq", s.VocabSize);
        for (var l = 0; l < s.Layers; l++)
        {
            g.Output(string.Format(null, names.PresentKey, l), TensorProto.Types.DataType.Float, "batch", kvh, "total", d);
            g.Output(string.Format(null, names.PresentValue, l), TensorProto.Types.DataType.Float, "batch", kvh, "total", d);
        }

        g.Save(path, null, microsoftDomain: true);
    }

    private sealed class GraphBuilder
    {
        private readonly GraphProto _graph = new() { Name = "tiny_llama" };
        private readonly List<(TensorProto Tensor, float[] Data)> _floats = [];
        private int _counter;

        public void Input(string name, TensorProto.Types.DataType type, params object[] dims) => _graph.Input.Add(Info(name, type, dims));

        public void Output(string name, TensorProto.Types.DataType type, params object[] dims) => _graph.Output.Add(Info(name, type, dims));

        private static ValueInfoProto Info(string name, TensorProto.Types.DataType type, object[] dims)
        {
            var shape = new TensorShapeProto();
            foreach (var dim in dims)
            {
                shape.Dim.Add(dim is string p ? new TensorShapeProto.Types.Dimension { DimParam = p } : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(dim, null) });
            }

            return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
        }

        public string Op(string op, string[] inputs, params (string Name, object Value)[] attrs)
        {
            var output = $"{op.ToLowerInvariant()}_{_counter++}";
            OpTo(op, inputs, output, attrs);
            return output;
        }

        public void OpTo(string op, string[] inputs, string output, params (string Name, object Value)[] attrs) =>
            Node(op, string.Empty, inputs, [output], attrs);

        public void Node(string op, string domain, string[] inputs, string[] outputs, params (string Name, object Value)[] attrs)
        {
            var node = new NodeProto { OpType = op, Name = $"n{_counter++}_{op}", Domain = domain };
            node.Input.AddRange(inputs);
            node.Output.AddRange(outputs);
            foreach (var (name, value) in attrs)
            {
                var a = new AttributeProto { Name = name };
                switch (value)
                {
                    case long i:
                        a.Type = AttributeProto.Types.AttributeType.Int;
                        a.I = i;
                        break;
                    case long[] ints:
                        a.Type = AttributeProto.Types.AttributeType.Ints;
                        a.Ints.AddRange(ints);
                        break;
                    case float f:
                        a.Type = AttributeProto.Types.AttributeType.Float;
                        a.F = f;
                        break;
                    default:
                        throw new ArgumentException($"attribute type {value.GetType()}");
                }

                node.Attribute.Add(a);
            }

            _graph.Node.Add(node);
        }

        public string I64(long[] values)
        {
            var t = new TensorProto { Name = $"c{_counter++}", DataType = (int)TensorProto.Types.DataType.Int64 };
            t.Dims.Add(values.Length);
            t.Int64Data.AddRange(values);
            _graph.Initializer.Add(t);
            return t.Name;
        }

        public string I64Scalar(long value)
        {
            var t = new TensorProto { Name = $"c{_counter++}", DataType = (int)TensorProto.Types.DataType.Int64 };
            t.Int64Data.Add(value);
            _graph.Initializer.Add(t);
            return t.Name;
        }

        public string F32Scalar(float value)
        {
            var t = new TensorProto { Name = $"c{_counter++}", DataType = (int)TensorProto.Types.DataType.Float };
            t.FloatData.Add(value);
            _graph.Initializer.Add(t);
            return t.Name;
        }

        public string F32(string name, float[] data, params long[] dims)
        {
            var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
            t.Dims.AddRange(dims);
            _graph.Initializer.Add(t);
            _floats.Add((t, data));
            return name;
        }

        public void Save(string path, string? externalDataFile, bool microsoftDomain = false)
        {
            if (externalDataFile is null)
            {
                foreach (var (t, data) in _floats)
                {
                    t.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
                }
            }
            else
            {
                using var file = File.Create(Path.Combine(Path.GetDirectoryName(path)!, externalDataFile));
                foreach (var (t, data) in _floats)
                {
                    var offset = file.Position;
                    var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan());
                    file.Write(bytes);
                    t.DataLocation = TensorProto.Types.DataLocation.External;
                    t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = externalDataFile });
                    t.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(null, null) });
                    t.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = bytes.Length.ToString(null, null) });
                    var padding = (64 - (file.Position % 64)) % 64;
                    file.Write(new byte[padding]);
                }
            }

            var model = new ModelProto { IrVersion = 8, ProducerName = "Agents.LocalEngine.Tests", Graph = _graph };
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 17 });
            if (microsoftDomain)
            {
                model.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });
            }
            File.WriteAllBytes(path, model.ToByteArray());
        }
    }
}
