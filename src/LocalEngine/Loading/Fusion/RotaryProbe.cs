using Agents.LocalEngine.Loading.Fusion.Onnx;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Agents.LocalEngine.Loading.Fusion;

/// <summary>
/// Moves a layer's rotary embedding into GroupQueryAttention (do_rotary 1) when, and only when, running the export's own
/// rotary subgraph with ONNX Runtime shows that it is the rotation GroupQueryAttention computes: the cos/sin tables are read
/// out of the subgraph with one-hot inputs at every position of the context, then random inputs at random positions must give
/// the same numbers through the subgraph and through the tables. No operator pattern is assumed, so any export's way of
/// computing the rotation (gathered tables, inverse frequencies times positions, a scaling factor) is accepted as long as the
/// numbers agree; anything else keeps the export's rotary ops (do_rotary 0).
/// </summary>
internal sealed class RotaryProbe
{
    private const string PositionIds = "position_ids";
    private const int Chunk = 256;
    private const float Tolerance = 1e-4f;

    private readonly ModelProto _model;
    private readonly GraphProto _graph;
    private readonly Dictionary<string, NodeProto> _producers;
    private readonly Dictionary<string, TensorProto> _initializers;
    private readonly string _folder;
    private readonly int _headDim;
    private readonly int _positions;
    private readonly HashSet<string> _constant = new(StringComparer.Ordinal);
    private readonly HashSet<string> _positional = new(StringComparer.Ordinal);

    /// <summary>Prepares the probe over <paramref name="model"/> (before any rewrite), or leaves <see cref="Usable"/> false.</summary>
    /// <remarks>
    /// ONNX Runtime's CPU GroupQueryAttention rotates only heads whose size is a multiple of 16 (it fails at run time otherwise),
    /// so other head sizes are not probed unless <paramref name="anyHeadSize"/> (tests make the fused graph fail on purpose).
    /// </remarks>
    public RotaryProbe(ModelProto model, Dictionary<string, NodeProto> producers, Dictionary<string, TensorProto> initializers, string folder, int headDim, int positions, bool anyHeadSize = false)
    {
        _model = model;
        _graph = model.Graph;
        _producers = producers;
        _initializers = initializers;
        _folder = folder;
        _headDim = headDim;
        _positions = positions;
        Usable = headDim > 0 && headDim % (anyHeadSize ? 2 : 16) == 0 && positions > 0 && _graph.Input.Any(i => i.Name == PositionIds);
        if (!Usable)
        {
            return;
        }

        // What depends only on constants, and what only on position_ids and constants (the cos/sin side of a rotary).
        _constant.UnionWith(initializers.Keys);
        _positional.Add(PositionIds);
        foreach (var node in _graph.Node)
        {
            var inputs = node.Input.Where(i => i.Length > 0).ToList();
            if (inputs.All(_constant.Contains))
            {
                _constant.UnionWith(node.Output);
            }
            else if (inputs.All(i => _constant.Contains(i) || _positional.Contains(i)))
            {
                _positional.UnionWith(node.Output);
            }
        }
    }

    /// <summary>Gets a value indicating whether the model can be probed (it takes position_ids; the head size is a multiple of 16).</summary>
    public bool Usable { get; }

    /// <summary>Gets the cos and sin tables [positions, head_dim / 2] once read, and whether they rotate interleaved pairs.</summary>
    public (float[] Cos, float[] Sin, bool Interleaved)? Tables { get; private set; }

    /// <summary>
    /// The tensor <paramref name="rotated"/> is the rotation of — [batch, heads, seq, head_dim], the output of a
    /// Transpose(0, 2, 1, 3) — when every other input of the nodes between them depends only on position_ids and constants,
    /// and those nodes compute GroupQueryAttention's rotation with this model's tables; null otherwise.
    /// </summary>
    public string? Source(string rotated)
    {
        if (!Usable || Region(rotated) is not { } region)
        {
            return null;
        }

        try
        {
            using var probe = Session(region.Nodes, region.Source, rotated);
            if (Tables is { } known)
            {
                // Tables read from an earlier region: this one must rotate by them too.
                return Agrees(probe, region.Source, rotated, known.Cos, known.Sin, known.Interleaved) ? region.Source : null;
            }

            Tables = Checked(probe, region.Source, rotated, interleaved: false) ?? Checked(probe, region.Source, rotated, interleaved: true);
            return Tables is null ? null : region.Source;
        }
        catch (OnnxRuntimeException)
        {
            // The subgraph does not run on its own (a shape fixed to the model's head count, an input it needs): keep it.
            return null;
        }
    }

    /// <summary>The tables read from this region when random inputs then rotate by them; null otherwise.</summary>
    private (float[] Cos, float[] Sin, bool Interleaved)? Checked(InferenceSession probe, string source, string rotated, bool interleaved) =>
        ReadTables(probe, source, rotated, interleaved) is { } tables && Agrees(probe, source, rotated, tables.Cos, tables.Sin, interleaved)
            ? (tables.Cos, tables.Sin, interleaved)
            : null;

    /// <summary>The nodes between the rotation's source and <paramref name="rotated"/>, or null when they read anything else.</summary>
    private (List<NodeProto> Nodes, string Source)? Region(string rotated)
    {
        var nodes = new List<NodeProto>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([rotated]);
        string? source = null;
        while (pending.Count > 0)
        {
            var tensor = pending.Pop();
            if (!seen.Add(tensor) || _constant.Contains(tensor) || _positional.Contains(tensor))
            {
                continue;
            }

            if (!_producers.TryGetValue(tensor, out var node) || nodes.Count > 64)
            {
                return null;
            }

            if (node.OpType == "Transpose" && node.Attribute.FirstOrDefault(a => a.Name == "perm") is { } perm && perm.Ints.SequenceEqual([0L, 2, 1, 3]))
            {
                if (source is not null && source != tensor)
                {
                    return null; // two sources: not a rotation of one tensor
                }

                source = tensor;
                continue;
            }

            nodes.Add(node);
            foreach (var input in node.Input)
            {
                if (input.Length > 0)
                {
                    pending.Push(input);
                }
            }
        }

        return source is null || nodes.Count == 0 ? null : (nodes, source);
    }

    /// <summary>A session over the region and what its position and constant inputs are computed from.</summary>
    private InferenceSession Session(List<NodeProto> region, string source, string rotated)
    {
        var needed = new HashSet<NodeProto>(region);
        var pending = new Stack<string>(region.SelectMany(n => n.Input).Where(i => _positional.Contains(i) || _constant.Contains(i)));
        while (pending.Count > 0)
        {
            if (_producers.TryGetValue(pending.Pop(), out var node) && needed.Add(node))
            {
                foreach (var input in node.Input)
                {
                    pending.Push(input);
                }
            }
        }

        var graph = new GraphProto { Name = "rotary_probe" };
        graph.Node.AddRange(_graph.Node.Where(needed.Contains)); // the model's order is topological
        var used = new HashSet<string>(graph.Node.SelectMany(n => n.Input), StringComparer.Ordinal);
        graph.Initializer.AddRange(_graph.Initializer.Where(t => used.Contains(t.Name)));
        graph.Input.Add(Info(source, TensorProto.Types.DataType.Float));
        if (used.Contains(PositionIds))
        {
            graph.Input.Add(Info(PositionIds, TensorProto.Types.DataType.Int64));
        }

        graph.Output.Add(Info(rotated, TensorProto.Types.DataType.Float));
        var probe = new ModelProto { IrVersion = _model.IrVersion, Graph = graph };
        probe.OpsetImport.AddRange(_model.OpsetImport);
        using var options = new SessionOptions { IntraOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC };
        options.AddSessionConfigEntry("session.model_external_initializers_file_folder_path", _folder);
        return new InferenceSession(probe.ToByteArray(), options);
    }

    private static ValueInfoProto Info(string name, TensorProto.Types.DataType type) =>
        new() { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type } } };

    /// <summary>Runs the probe: <paramref name="input"/> [1, heads, positions.Length, head_dim] at <paramref name="positions"/>; null when the output is shaped otherwise.</summary>
    private static float[]? Run(InferenceSession probe, string source, string rotated, float[] input, int heads, long[] positions)
    {
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor(source, new DenseTensor<float>(input, [1, heads, positions.Length, input.Length / (heads * positions.Length)])),
        };
        if (probe.InputMetadata.ContainsKey(PositionIds))
        {
            inputs.Add(NamedOnnxValue.CreateFromTensor(PositionIds, new DenseTensor<long>(positions, [1, positions.Length])));
        }

        using var results = probe.Run(inputs, [rotated]);
        var output = results[0].AsTensor<float>();
        return output.Length == input.Length ? [.. output] : null;
    }

    /// <summary>Reads cos/sin [positions, head_dim / 2] from one-hot inputs: head j holds 1 at pair j's first element.</summary>
    private (float[] Cos, float[] Sin)? ReadTables(InferenceSession probe, string source, string rotated, bool interleaved)
    {
        int d = _headDim, half = d / 2;
        var cos = new float[_positions * half];
        var sin = new float[_positions * half];
        for (var start = 0; start < _positions; start += Chunk)
        {
            var count = Math.Min(Chunk, _positions - start);
            var positions = Enumerable.Range(start, count).Select(p => (long)p).ToArray();
            var input = new float[half * count * d];
            for (var j = 0; j < half; j++)
            {
                for (var p = 0; p < count; p++)
                {
                    input[(((j * count) + p) * d) + First(j, interleaved)] = 1f;
                }
            }

            if (Run(probe, source, rotated, input, half, positions) is not { } output)
            {
                return null;
            }

            for (var j = 0; j < half; j++)
            {
                for (var p = 0; p < count; p++)
                {
                    var row = ((j * count) + p) * d;
                    cos[((start + p) * half) + j] = output[row + First(j, interleaved)];
                    sin[((start + p) * half) + j] = output[row + Second(j, interleaved)];
                }
            }
        }

        return (cos, sin);
    }

    /// <summary>Whether random inputs at random positions rotate through the subgraph as the tables say.</summary>
    private bool Agrees(InferenceSession probe, string source, string rotated, float[] cos, float[] sin, bool interleaved)
    {
        int d = _headDim, half = d / 2, heads = 2, count = 16;
        var random = new Random(20261208);
        var positions = Enumerable.Range(0, count).Select(_ => (long)random.Next(_positions)).ToArray();
        var input = new float[heads * count * d];
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = (float)((random.NextDouble() * 2) - 1);
        }

        if (Run(probe, source, rotated, input, heads, positions) is not { } output)
        {
            return false;
        }

        for (var h = 0; h < heads; h++)
        {
            for (var p = 0; p < count; p++)
            {
                var row = ((h * count) + p) * d;
                for (var j = 0; j < half; j++)
                {
                    float c = cos[(positions[p] * half) + j], s = sin[(positions[p] * half) + j];
                    float x1 = input[row + First(j, interleaved)], x2 = input[row + Second(j, interleaved)];
                    if (Math.Abs(output[row + First(j, interleaved)] - ((x1 * c) - (x2 * s))) > Tolerance * (1 + Math.Abs(x1) + Math.Abs(x2)) ||
                        Math.Abs(output[row + Second(j, interleaved)] - ((x2 * c) + (x1 * s))) > Tolerance * (1 + Math.Abs(x1) + Math.Abs(x2)))
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    private static int First(int pair, bool interleaved) => interleaved ? 2 * pair : pair;

    private int Second(int pair, bool interleaved) => interleaved ? (2 * pair) + 1 : pair + (_headDim / 2);
}
