using System.Buffers.Binary;
using Agents.LocalEngine.Loading.Fusion.Onnx;
using Google.Protobuf;

namespace Agents.LocalEngine.Loading.Fusion;

/// <summary>
/// Rewrites the attention of an Optimum (torch.onnx) decoder export into com.microsoft GroupQueryAttention with a KV buffer
/// shared by past and present, the form onnxruntime-genai's builder exports: one fused kernel per layer instead of the
/// export's dozen small operators (Concat of the whole cache, repeat of the KV heads, two MatMuls, scale, mask, Softmax), and
/// a cache written in place instead of copied into a new tensor every step.
/// </summary>
/// <remarks>
/// <para>
/// Per layer it finds the eager-attention pattern: <c>present = Concat(past, k, axis 2)</c> for the key and the value, the
/// key's path to <c>MatMul(q, Kᵀ)</c> (repeat of the KV heads and one transpose), scale factors on q, Kᵀ or the scores (constants,
/// or computed from the head size with Shape, as torch exports scaled_dot_product_attention), one additive mask,
/// Softmax, <c>MatMul(probs, V)</c>, then the transpose and reshape back to [batch, seq, heads × head_dim]. The projections are
/// left as exported. GroupQueryAttention receives the rotated q and k (do_rotary 0), so every rotary variant the export computes
/// stays exact — unless <see cref="RotaryProbe"/> proves, by running the export's rotary ops, that they are the kernel's own
/// rotation with tables it reads out of them: then the kernel rotates the unrotated q and k (do_rotary 1). The mask subgraph is dropped; GroupQueryAttention applies the causal mask and each
/// row's length (seqlens_k, from the attention mask), which is what a decoder's mask says unless the model uses a sliding
/// window (the caller refuses those).
/// </para>
/// <para>
/// Anything else (control-flow subgraphs of a merged decoder, float16 casts around the cache, a scale that depends on the input, an
/// operator on a path that is not listed, a past tensor still read by something after the rewrite) leaves the model as it is:
/// <see cref="Fuse"/> returns no model and says why.
/// </para>
/// </remarks>
internal static class AttentionFusion
{
    private const string MicrosoftDomain = "com.microsoft";

    /// <summary>Ops that only move or repeat a KV tensor on its way to a MatMul (repeat_kv, the key's transpose).</summary>
    private static readonly HashSet<string> LayoutOps = new(StringComparer.Ordinal) { "Unsqueeze", "Expand", "Reshape", "Transpose", "Tile", "Squeeze", "Identity" };

    /// <summary>The result of <see cref="Fuse"/>.</summary>
    /// <param name="Model">The rewritten model, or null when it was left as it is.</param>
    /// <param name="Layers">How many layers were rewritten.</param>
    /// <param name="Reason">Why the model was left as it is (null when it was rewritten).</param>
    /// <param name="RotaryLayers">How many of them compute the rotary embedding inside GroupQueryAttention.</param>
    internal sealed record FusionResult(byte[]? Model, int Layers, string? Reason, int RotaryLayers = 0)
    {
        public static FusionResult Unchanged(string reason) => new(null, 0, reason);
    }

    /// <summary>Rewrites <paramref name="model"/> (the bytes of an .onnx file) or says why it cannot.</summary>
    /// <param name="model">The ONNX model.</param>
    /// <param name="numHeads">
    /// The query heads (config.json's num_attention_heads); null: unknown. The query projection's weight, when the rewrite finds
    /// it, gives the count too: a disagreement is refused, and without the configuration the weight's count is used.
    /// </param>
    /// <param name="cacheType">
    /// The KV element type the provider's GroupQueryAttention kernel runs (float on the CPU; float16 on CUDA, whose kernel has no
    /// float32 version); a cache of another type is not rewritten.
    /// </param>
    /// <param name="folder">The model's folder (external data of the tensors the rotary probe reads); null: no rotary probe.</param>
    /// <param name="contextLength">The positions the rotary tables must cover (the context length); 0: no rotary probe.</param>
    /// <param name="rotaryAnyHeadSize">Probe the rotary embedding whatever the head size (tests: a graph ONNX Runtime refuses at run).</param>
    public static FusionResult Fuse(byte[] model, int? numHeads, TensorProto.Types.DataType cacheType = TensorProto.Types.DataType.Float, string? folder = null, int contextLength = 0, bool rotaryAnyHeadSize = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(model);
        }
        catch (InvalidProtocolBufferException ex)
        {
            return FusionResult.Unchanged($"the file is not an ONNX model protobuf ({ex.Message})");
        }

        var rewriter = new Rewriter(proto, numHeads is > 0 ? numHeads : null, cacheType, folder, contextLength, rotaryAnyHeadSize);
        var reason = rewriter.Run();
        return reason is null ? new FusionResult(proto.ToByteArray(), rewriter.Layers, null, rewriter.RotaryLayers) : FusionResult.Unchanged(reason);
    }

    /// <summary>One rewrite over one parsed model.</summary>
    private sealed class Rewriter
    {
        private readonly ModelProto _model;
        private readonly GraphProto _graph;
        private readonly int? _numHeads;
        private readonly TensorProto.Types.DataType _cacheType;
        private readonly string? _folder;
        private readonly int _contextLength;
        private readonly bool _rotaryAnyHeadSize;
        private RotaryProbe? _rotary;
        private string? _cosCache;
        private string? _sinCache;
        private readonly Dictionary<string, NodeProto> _producers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<NodeProto>> _consumers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, TensorProto> _initializers = new(StringComparer.Ordinal);
        private readonly HashSet<string> _outputs = new(StringComparer.Ordinal);
        private readonly HashSet<NodeProto> _removed = [];
        private readonly List<NodeProto> _added = [];
        private int _counter;
        private long _headDim;

        public Rewriter(ModelProto model, int? numHeads, TensorProto.Types.DataType cacheType, string? folder, int contextLength, bool rotaryAnyHeadSize)
        {
            _rotaryAnyHeadSize = rotaryAnyHeadSize;
            _folder = folder;
            _contextLength = contextLength;
            _model = model;
            _graph = model.Graph ?? new GraphProto();
            _numHeads = numHeads;
            _cacheType = cacheType;
        }

        public int Layers { get; private set; }

        /// <summary>Gets how many layers' rotary embedding moved into GroupQueryAttention.</summary>
        public int RotaryLayers { get; private set; }

        /// <summary>Rewrites the graph in place; returns null on success, else why nothing was changed.</summary>
        public string? Run()
        {
            foreach (var node in _graph.Node)
            {
                if (node.Attribute.Any(a => a.Type is AttributeProto.Types.AttributeType.Graph or AttributeProto.Types.AttributeType.Graphs))
                {
                    return $"the graph has control-flow subgraphs ({node.OpType} '{node.Name}'; a merged decoder)";
                }

                foreach (var output in node.Output)
                {
                    _producers[output] = node;
                }

                foreach (var input in node.Input)
                {
                    if (input.Length > 0)
                    {
                        Consumers(input).Add(node);
                    }
                }
            }

            foreach (var t in _graph.Initializer)
            {
                _initializers[t.Name] = t;
            }

            foreach (var o in _graph.Output)
            {
                _outputs.Add(o.Name);
            }

            var inputs = _graph.Input.ToDictionary(i => i.Name, StringComparer.Ordinal);
            if (!inputs.TryGetValue("attention_mask", out var maskInput))
            {
                return "the model has no attention_mask input";
            }

            if (_model.OpsetImport.Any(o => o.Domain == MicrosoftDomain && o.Version != 1))
            {
                return "the model imports an unexpected com.microsoft opset version";
            }

            var opset = _model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version ?? 0;
            if (opset < 13)
            {
                return $"the model's opset is {opset} (13 or later is rewritten)";
            }

            string? seqlens = null, total = null;
            var layers = 0;
            while (inputs.ContainsKey($"past_key_values.{layers}.key"))
            {
                layers++;
            }

            if (layers == 0)
            {
                return "the model has no past_key_values.0.key input";
            }

            for (var l = 0; l < layers; l++)
            {
                seqlens ??= SequenceLengths(maskInput, out total);
                var reason = FuseLayer(l, seqlens, total!);
                if (reason is not null)
                {
                    return $"layer {l}: {reason}";
                }
            }

            // Apply: drop the replaced nodes, add the new ones, keep only what the outputs need, then order the nodes.
            var nodes = _graph.Node.Where(n => !_removed.Contains(n)).Concat(_added).ToList();
            var live = Live(nodes);
            for (var l = 0; l < layers; l++)
            {
                foreach (var past in new[] { $"past_key_values.{l}.key", $"past_key_values.{l}.value" })
                {
                    var readers = live.Where(n => n.Input.Contains(past)).ToList();
                    if (readers.Count != 1 || readers[0].OpType != "GroupQueryAttention")
                    {
                        return $"'{past}' is still read by {string.Join(", ", readers.Where(r => r.OpType != "GroupQueryAttention").Select(r => $"{r.OpType} '{r.Name}'"))} " +
                            "(its length would be the shared buffer's, not the cached positions')";
                    }
                }
            }

            var sorted = Sort(live);
            if (sorted is null)
            {
                return "the rewritten graph has a cycle";
            }

            var used = new HashSet<string>(sorted.SelectMany(n => n.Input), StringComparer.Ordinal);
            var graphInputs = new HashSet<string>(_graph.Input.Select(i => i.Name), StringComparer.Ordinal);
            var keptInitializers = _graph.Initializer.Where(t => used.Contains(t.Name) || _outputs.Contains(t.Name) || graphInputs.Contains(t.Name)).ToList();
            var produced = new HashSet<string>(sorted.SelectMany(n => n.Output), StringComparer.Ordinal);
            var keptInfo = _graph.ValueInfo.Where(v => produced.Contains(v.Name)).ToList();
            _graph.Node.Clear();
            _graph.Node.AddRange(sorted);
            _graph.Initializer.Clear();
            _graph.Initializer.AddRange(keptInitializers);
            _graph.ValueInfo.Clear();
            _graph.ValueInfo.AddRange(keptInfo);
            // Past and present are now one buffer of the KV capacity, not the positions held or the mask's width.
            foreach (var info in _graph.Input.Concat(_graph.Output))
            {
                if (IsCacheName(info.Name) && info.Type?.TensorType?.Shape?.Dim is { Count: 4 } dims)
                {
                    dims[2] = new TensorShapeProto.Types.Dimension { DimParam = "kv_capacity" };
                }
            }

            if (!_model.OpsetImport.Any(o => o.Domain == MicrosoftDomain))
            {
                _model.OpsetImport.Add(new OperatorSetIdProto { Domain = MicrosoftDomain, Version = 1 });
            }

            Layers = layers;
            return null;
        }

        private static bool IsCacheName(string name) =>
            name.StartsWith("past_key_values.", StringComparison.Ordinal) || name.StartsWith("present.", StringComparison.Ordinal) || name.StartsWith("present_key_values.", StringComparison.Ordinal);

        private List<NodeProto> Consumers(string name)
        {
            if (!_consumers.TryGetValue(name, out var list))
            {
                list = [];
                _consumers[name] = list;
            }

            return list;
        }

        /// <summary>seqlens_k (each row's length − 1, int32) and total_sequence_length (the mask's width, int32 scalar).</summary>
        private string SequenceLengths(ValueInfoProto mask, out string total)
        {
            var maskInt64 = mask.Name;
            if (mask.Type?.TensorType?.ElemType is { } type && type != (int)TensorProto.Types.DataType.Int64)
            {
                maskInt64 = Add("Cast", [mask.Name], ("to", (long)TensorProto.Types.DataType.Int64));
            }

            var sum = Add("ReduceSum", [maskInt64, Int64s("fused_axis_1", 1)], ("keepdims", 0L));
            var last = Add("Sub", [sum, Int64Scalar("fused_one", 1)]);
            var seqlens = Add("Cast", [last], ("to", (long)TensorProto.Types.DataType.Int32));
            var width = Add("Gather", [Add("Shape", [mask.Name]), Int64Scalar("fused_index_1", 1)], ("axis", 0L));
            total = Add("Cast", [width], ("to", (long)TensorProto.Types.DataType.Int32));
            return seqlens;
        }

        private string? FuseLayer(int l, string seqlens, string total)
        {
            var pastKey = $"past_key_values.{l}.key";
            var pastValue = $"past_key_values.{l}.value";
            var presentKey = _outputs.Contains($"present.{l}.key") ? $"present.{l}.key" : $"present_key_values.{l}.key";
            var presentValue = _outputs.Contains($"present.{l}.value") ? $"present.{l}.value" : $"present_key_values.{l}.value";
            if (!_outputs.Contains(presentKey) || !_outputs.Contains(presentValue))
            {
                return $"no present output for the layer ('{presentKey}')";
            }

            var pastInfo = _graph.Input.First(i => i.Name == pastKey);
            _headDim = pastInfo.Type?.TensorType?.Shape?.Dim is { Count: 4 } cacheDims ? cacheDims[3].DimValue : 0;
            var (concatKey, newKey, keyError) = CacheConcat(pastKey, presentKey);
            if (keyError is not null)
            {
                return keyError;
            }

            var (concatValue, newValue, valueError) = CacheConcat(pastValue, presentValue);
            if (valueError is not null)
            {
                return valueError;
            }

            // The key's way to the scores: repeat of the KV heads, one transpose of the last two axes, maybe a scale factor.
            // Scale factors are read once both sides are known: a factor may be computed from the query's head size.
            var factors = new List<(NodeProto Node, string Input)>();
            var headTensors = new HashSet<string>(StringComparer.Ordinal) { newKey, presentKey };
            var current = presentKey;
            var transposes = 0;
            NodeProto? scores = null;
            while (scores is null)
            {
                var next = SoleConsumer(current);
                if (next is null)
                {
                    return $"'{current}' on the key's way to the scores is read by {ReaderCount(current)} nodes";
                }

                if (next.OpType == "MatMul" && next.Domain.Length == 0 && next.Input.Count == 2 && next.Input[1] == current)
                {
                    scores = next;
                }
                else if (next.OpType == "Transpose" && Ints(next, "perm") is [0, 1, 3, 2])
                {
                    transposes++;
                    current = next.Output[0];
                }
                else if (LayoutOps.Contains(next.OpType) && next.OpType != "Transpose" && next.Domain.Length == 0)
                {
                    current = next.Output[0];
                }
                else if (IsScaling(next, current))
                {
                    factors.Add((next, current));
                    current = next.Output[0];
                }
                else
                {
                    return $"{next.OpType} '{next.Name}' on the key's way to the scores";
                }

                headTensors.Add(current);
            }

            if (transposes != 1)
            {
                return $"the key reaches the scores through {transposes} transposes of its last two axes (1 expected)";
            }

            // The query side: the rotated q, maybe scaled.
            var query = scores.Input[0];
            headTensors.Add(query);
            while (_producers.TryGetValue(query, out var producer) && SoleConsumer(query) is not null && ScaledInput(producer) is { } source)
            {
                factors.Add((producer, source));
                query = source;
                headTensors.Add(query);
            }

            // Scores to probabilities: scale factors, one additive mask, Softmax over the last axis (casts to float allowed).
            current = scores.Output[0];
            var masks = 0;
            NodeProto? softmax = null;
            while (softmax is null)
            {
                var next = SoleConsumer(current);
                if (next is null)
                {
                    return $"the scores '{current}' are read by {ReaderCount(current)} nodes";
                }

                if (next.OpType == "Softmax" && next.Domain.Length == 0 && (Int(next, "axis") ?? -1) is -1 or 3)
                {
                    softmax = next;
                }
                else if (IsScaling(next, current))
                {
                    factors.Add((next, current));
                    current = next.Output[0];
                }
                else if (next.OpType == "Add" && next.Domain.Length == 0 && masks == 0)
                {
                    masks++;
                    current = next.Output[0];
                }
                else if ((next.OpType == "Cast" && Int(next, "to") == (long)TensorProto.Types.DataType.Float) || next.OpType == "Identity")
                {
                    current = next.Output[0];
                }
                else
                {
                    return $"{next.OpType} '{next.Name}' between the scores and Softmax";
                }
            }

            // Probabilities times V (repeated), then back to [batch, seq, heads × head_dim].
            var probs = softmax.Output[0];
            // Softmax in float32 cast back, and dropout (Identity in an inference export).
            while (SoleConsumer(probs) is { } after && ((after.OpType == "Cast" && Int(after, "to") == (long)TensorProto.Types.DataType.Float) || after.OpType == "Identity"))
            {
                probs = after.Output[0];
            }

            var weighted = SoleConsumer(probs);
            if (weighted is not { OpType: "MatMul", Domain: "" } || weighted.Input[0] != probs)
            {
                return $"the attention probabilities '{probs}' do not go straight into MatMul(probs, V)";
            }

            var valuePath = weighted.Input[1];
            while (valuePath != presentValue)
            {
                if (!_producers.TryGetValue(valuePath, out var producer) || !LayoutOps.Contains(producer.OpType) || producer.OpType == "Transpose" || SoleConsumer(valuePath) is null)
                {
                    return $"the value reaches MatMul(probs, V) through something other than a repeat of its heads ('{valuePath}')";
                }

                valuePath = producer.Input[0];
            }

            var back = SoleConsumer(weighted.Output[0]);
            if (back is not { OpType: "Transpose" } || Ints(back, "perm") is not [0, 2, 1, 3])
            {
                return "the attention output is not transposed back to [batch, seq, heads, head_dim]";
            }

            var merge = SoleConsumer(back.Output[0]);
            if (merge is not { OpType: "Reshape", Domain: "" })
            {
                return "the attention output is not reshaped to [batch, seq, heads × head_dim]";
            }

            var scale = 1.0;
            foreach (var (node, input) in factors)
            {
                var other = OtherInput(node, input);
                if (Evaluate(other, headTensors, 0) is not { } value || value == 0 || !double.IsFinite(value))
                {
                    return $"the scale factor '{other}' of {node.OpType} '{node.Name}' is neither a constant nor computed from the head size";
                }

                scale *= node.OpType == "Mul" ? value : 1.0 / value;
            }

            // The rotary embedding moves into the kernel when the export's own rotary ops, run, prove to be its rotation.
            var (queryInput, keyInput) = (query, newKey);
            if (_folder is not null && _contextLength > 0)
            {
                _rotary ??= new RotaryProbe(_model, _producers, _initializers, _folder, (int)_headDim, _contextLength, _rotaryAnyHeadSize);
                if (_rotary.Source(query) is { } querySource && _rotary.Source(newKey) is { } keySource && _rotary.Tables is { } tables)
                {
                    (queryInput, keyInput) = (querySource, keySource);
                    _cosCache ??= Floats("fused_rotary_cos", tables.Cos, _contextLength, _headDim / 2);
                    _sinCache ??= Floats("fused_rotary_sin", tables.Sin, _contextLength, _headDim / 2);
                }
            }

            var rotary = queryInput != query;
            var kvHeads = (long)0;
            var gqa = new NodeProto { OpType = "GroupQueryAttention", Domain = MicrosoftDomain, Name = $"fused_attention_{l}" };
            gqa.Input.AddRange([ToBsh(queryInput), ToBsh(keyInput), ToBsh(newValue), pastKey, pastValue, seqlens, total]);
            if (rotary)
            {
                gqa.Input.AddRange([_cosCache!, _sinCache!]);
            }

            gqa.Output.AddRange([merge.Output[0], presentKey, presentValue]);
            var elem = (TensorProto.Types.DataType)(pastInfo.Type?.TensorType?.ElemType ?? 0);
            if (elem != _cacheType)
            {
                return $"the KV cache is {elem}; this provider's GroupQueryAttention is rewritten for {_cacheType}";
            }

            if (pastInfo.Type?.TensorType?.Shape?.Dim is { Count: 4 } dims && dims[1].DimValue > 0)
            {
                kvHeads = dims[1].DimValue;
            }

            if (kvHeads <= 0 || _headDim <= 0)
            {
                return "the KV cache input does not fix its number of heads and head size";
            }

            // The query heads: from the query projection's weight when it can be found, checked against config.json.
            long heads;
            if (ProjectionWidth(query) is { } width)
            {
                if (width % _headDim != 0)
                {
                    return $"the query projection is {width} wide, not a multiple of the head size {_headDim}";
                }

                heads = width / _headDim;
                if (_numHeads is { } configured && configured != heads)
                {
                    return $"config.json says {configured} query heads but the query projection has {heads} ({width} wide, head size {_headDim})";
                }
            }
            else if (_numHeads is { } configured)
            {
                heads = configured;
            }
            else
            {
                return "num_attention_heads is not in config.json and no query projection weight was found";
            }

            if (heads % kvHeads != 0)
            {
                return $"{heads} query heads are not a multiple of {kvHeads} KV heads";
            }

            gqa.Attribute.Add(new AttributeProto { Name = "num_heads", Type = AttributeProto.Types.AttributeType.Int, I = heads });
            gqa.Attribute.Add(new AttributeProto { Name = "kv_num_heads", Type = AttributeProto.Types.AttributeType.Int, I = kvHeads });
            gqa.Attribute.Add(new AttributeProto { Name = "scale", Type = AttributeProto.Types.AttributeType.Float, F = (float)scale });
            gqa.Attribute.Add(new AttributeProto { Name = "do_rotary", Type = AttributeProto.Types.AttributeType.Int, I = rotary ? 1 : 0 });
            if (rotary)
            {
                gqa.Attribute.Add(new AttributeProto { Name = "rotary_interleaved", Type = AttributeProto.Types.AttributeType.Int, I = _rotary!.Tables!.Value.Interleaved ? 1 : 0 });
                RotaryLayers++;
            }

            _added.Add(gqa);
            _removed.Add(concatKey);
            _removed.Add(concatValue);
            _removed.Add(merge);
            return null;
        }

        /// <summary>The <c>Concat(past, new, axis 2)</c> that makes <paramref name="present"/>, and its new tensor.</summary>
        private (NodeProto Node, string New, string? Error) CacheConcat(string past, string present)
        {
            if (!_producers.TryGetValue(present, out var concat) || concat.OpType != "Concat" || concat.Domain.Length != 0)
            {
                var what = _producers.TryGetValue(present, out var p) ? $"{p.OpType} '{p.Name}'" : "nothing";
                return (null!, string.Empty, $"'{present}' is made by {what}, not by Concat(past, new)");
            }

            if (concat.Input.Count != 2 || concat.Input[0] != past || Int(concat, "axis") is not (2 or -2))
            {
                return (null!, string.Empty, $"'{present}' is not Concat('{past}', new) over the positions axis");
            }

            // Other readers of the past (a length taken from it for the causal mask) are checked once the rewrite is done: they
            // may only feed what the rewrite removes.
            return (concat, concat.Input[1], null);
        }

        /// <summary>The one node reading <paramref name="name"/> when it is read by exactly one (graph outputs not counted).</summary>
        private NodeProto? SoleConsumer(string name) => _consumers.TryGetValue(name, out var list) && list.Count == 1 ? list[0] : null;

        private int ReaderCount(string name) => _consumers.TryGetValue(name, out var list) ? list.Count : 0;

        private static string OtherInput(NodeProto node, string input) => node.Input.Count == 2 ? (node.Input[0] == input ? node.Input[1] : node.Input[0]) : string.Empty;

        /// <summary>
        /// The output width of the projection <paramref name="tensor"/> comes from: the nearest MatMul or Gemm with a two-dimensional
        /// weight initializer (or MatMulNBits' N) found walking back through at most 32 producers, not past any projection. Null
        /// when there is none (the caller then relies on the configuration).
        /// </summary>
        private long? ProjectionWidth(string tensor)
        {
            var queue = new Queue<string>([tensor]);
            var seen = new HashSet<string>(StringComparer.Ordinal) { tensor };
            for (var visited = 0; queue.Count > 0 && visited < 32; visited++)
            {
                if (!_producers.TryGetValue(queue.Dequeue(), out var node))
                {
                    continue;
                }

                if (node.Domain.Length == 0 && node.OpType is "MatMul" or "Gemm")
                {
                    if (node.Input.Count >= 2 && _initializers.TryGetValue(node.Input[1], out var weight) && weight.Dims.Count == 2)
                    {
                        return node.OpType == "Gemm" && Int(node, "transB") == 1 ? weight.Dims[0] : weight.Dims[1];
                    }

                    continue;
                }

                if (node.Domain == MicrosoftDomain && node.OpType == "MatMulNBits" && Int(node, "N") is { } n)
                {
                    return n;
                }

                foreach (var input in node.Input)
                {
                    if (input.Length > 0 && seen.Add(input))
                    {
                        queue.Enqueue(input);
                    }
                }
            }

            return null;
        }

        /// <summary>Whether <paramref name="node"/> multiplies <paramref name="input"/> by, or divides it by, a scalar expression (its value is read later).</summary>
        private bool IsScaling(NodeProto node, string input)
        {
            if (node.Domain.Length != 0 || node.Input.Count != 2 || node.OpType is not ("Mul" or "Div") || (node.OpType == "Div" && node.Input[0] != input))
            {
                return false;
            }

            var other = OtherInput(node, input);
            return other.Length > 0 && other != input && IsScalarExpression(other, 0);
        }

        /// <summary>For a Mul or Div by a scalar expression, the tensor it scales; null for anything else.</summary>
        private string? ScaledInput(NodeProto node)
        {
            if (node.Input.Count != 2)
            {
                return null;
            }

            return IsScaling(node, node.Input[0]) ? node.Input[0] : IsScaling(node, node.Input[1]) ? node.Input[1] : null;
        }

        // The operators a scale factor may be computed with (from constants and the head size).
        private static readonly HashSet<string> ScalarOps = new(StringComparer.Ordinal)
        {
            "Constant", "Shape", "Gather", "Slice", "Cast", "Identity", "Squeeze", "Unsqueeze", "Reshape", "Sqrt", "Reciprocal", "Neg", "Add", "Sub", "Mul", "Div", "Pow",
        };

        /// <summary>Whether <paramref name="name"/> is a one-element constant or computed only from constants and shapes.</summary>
        private bool IsScalarExpression(string name, int depth)
        {
            if (depth > 16)
            {
                return false;
            }

            if (_initializers.TryGetValue(name, out var t))
            {
                return t.Dims.Aggregate(1L, (a, d) => a * d) == 1;
            }

            if (!_producers.TryGetValue(name, out var node) || node.Domain.Length != 0 || !ScalarOps.Contains(node.OpType))
            {
                return false;
            }

            return node.OpType switch
            {
                "Constant" or "Shape" => true,
                "Gather" or "Slice" or "Cast" or "Identity" or "Squeeze" or "Unsqueeze" or "Reshape" or "Sqrt" or "Reciprocal" or "Neg" => IsScalarExpression(node.Input[0], depth + 1),
                _ => node.Input.Count == 2 && IsScalarExpression(node.Input[0], depth + 1) && IsScalarExpression(node.Input[1], depth + 1),
            };
        }

        /// <summary>
        /// The value of a scalar expression: one-element constants, and the last axis of a tensor in <paramref name="headTensors"/>
        /// (the query or key of this layer, whose last axis is the head size) taken with Shape and Gather or Slice. Null when
        /// it depends on anything else.
        /// </summary>
        private double? Evaluate(string name, HashSet<string> headTensors, int depth)
        {
            if (depth > 16)
            {
                return null;
            }

            if (_initializers.TryGetValue(name, out var initializer))
            {
                return Value(initializer);
            }

            if (!_producers.TryGetValue(name, out var node) || node.Domain.Length != 0)
            {
                return null;
            }

            double? Unary(Func<double, double> f) => Evaluate(node.Input[0], headTensors, depth + 1) is { } x ? f(x) : null;
            double? Binary(Func<double, double, double> f) =>
                node.Input.Count == 2 && Evaluate(node.Input[0], headTensors, depth + 1) is { } a && Evaluate(node.Input[1], headTensors, depth + 1) is { } b ? f(a, b) : null;
            return node.OpType switch
            {
                "Constant" => node.Attribute.FirstOrDefault(a => a.Name == "value") is { T: { } value } ? Value(value) : null,
                "Shape" => Int(node, "start") is -1 or 3 && Int(node, "end") is null && headTensors.Contains(node.Input[0]) ? _headDim : null,
                "Gather" => LastAxisOfShape(node.Input[0], headTensors) && Evaluate(node.Input[1], headTensors, depth + 1) is -1 or 3 ? _headDim : null,
                "Slice" => LastAxisOfShape(node.Input[0], headTensors) && node.Input.Count >= 3 && Evaluate(node.Input[1], headTensors, depth + 1) is -1 or 3
                    && Evaluate(node.Input[2], headTensors, depth + 1) is >= 4 ? _headDim : null,
                "Cast" or "Identity" or "Squeeze" or "Unsqueeze" or "Reshape" => Evaluate(node.Input[0], headTensors, depth + 1),
                "Sqrt" => Unary(Math.Sqrt),
                "Reciprocal" => Unary(x => 1 / x),
                "Neg" => Unary(x => -x),
                "Add" => Binary((a, b) => a + b),
                "Sub" => Binary((a, b) => a - b),
                "Mul" => Binary((a, b) => a * b),
                "Div" => Binary((a, b) => a / b),
                "Pow" => Binary(Math.Pow),
                _ => null,
            };
        }

        /// <summary>Whether <paramref name="name"/> is the whole shape of a head tensor (so its last element is the head size).</summary>
        private bool LastAxisOfShape(string name, HashSet<string> headTensors) =>
            _headDim > 0 && _producers.TryGetValue(name, out var shape) && shape.OpType == "Shape" && shape.Attribute.Count == 0 && headTensors.Contains(shape.Input[0]);

        /// <summary>The value of a one-element numeric tensor stored in the model; null otherwise.</summary>
        private static double? Value(TensorProto tensor)
        {
            if (tensor.Dims.Aggregate(1L, (a, d) => a * d) != 1 || tensor.DataLocation == TensorProto.Types.DataLocation.External)
            {
                return null;
            }

            var raw = tensor.RawData.Span;
            return (TensorProto.Types.DataType)tensor.DataType switch
            {
                TensorProto.Types.DataType.Float => tensor.FloatData.Count == 1 ? tensor.FloatData[0] : raw.Length == 4 ? BinaryPrimitives.ReadSingleLittleEndian(raw) : null,
                TensorProto.Types.DataType.Float16 => raw.Length == 2 ? (double)BinaryPrimitives.ReadHalfLittleEndian(raw)
                    : tensor.Int32Data.Count == 1 ? (double)BitConverter.UInt16BitsToHalf((ushort)tensor.Int32Data[0]) : null,
                TensorProto.Types.DataType.Double => raw.Length == 8 ? BinaryPrimitives.ReadDoubleLittleEndian(raw) : null,
                TensorProto.Types.DataType.Int64 => tensor.Int64Data.Count == 1 ? tensor.Int64Data[0] : raw.Length == 8 ? BinaryPrimitives.ReadInt64LittleEndian(raw) : null,
                TensorProto.Types.DataType.Int32 => tensor.Int32Data.Count == 1 ? tensor.Int32Data[0] : raw.Length == 4 ? BinaryPrimitives.ReadInt32LittleEndian(raw) : null,
                _ => null,
            };
        }

        /// <summary>[batch, heads, seq, head_dim] → [batch, seq, heads × head_dim], the layout GroupQueryAttention takes.</summary>
        private string ToBsh(string bnsh) =>
            Add("Reshape", [Add("Transpose", [bnsh], ("perm", new long[] { 0, 2, 1, 3 })), Int64s("fused_shape_bsh", 0, 0, -1)]);

        private string Add(string op, string[] inputs, params (string Name, object Value)[] attributes)
        {
            var output = $"fused_{op.ToLowerInvariant()}_{_counter++}";
            var node = new NodeProto { OpType = op, Name = output };
            node.Input.AddRange(inputs);
            node.Output.Add(output);
            foreach (var (name, value) in attributes)
            {
                node.Attribute.Add(value switch
                {
                    long i => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = i },
                    long[] ints => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints, Ints = { ints } },
                    _ => throw new ArgumentException($"Unsupported attribute value {value}.", nameof(attributes)),
                });
            }

            _added.Add(node);
            return output;
        }

        private string Int64s(string name, params long[] values)
        {
            var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
            t.Dims.Add(values.Length);
            t.Int64Data.AddRange(values);
            return Initializer(t);
        }

        private string Int64Scalar(string name, long value)
        {
            var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
            t.Int64Data.Add(value);
            return Initializer(t);
        }

        private string Floats(string name, float[] values, long rows, long columns)
        {
            var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
            t.Dims.AddRange([rows, columns]);
            t.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
            return Initializer(t);
        }

        /// <summary>Adds <paramref name="tensor"/> as an initializer unless one of its name is there (the rewrite's constants are shared by layers).</summary>
        private string Initializer(TensorProto tensor)
        {
            if (_initializers.TryAdd(tensor.Name, tensor))
            {
                _graph.Initializer.Add(tensor);
            }

            return tensor.Name;
        }

        private static long? Int(NodeProto node, string name) =>
            node.Attribute.FirstOrDefault(a => a.Name == name) is { Type: AttributeProto.Types.AttributeType.Int } a ? a.I : null;

        private static long[]? Ints(NodeProto node, string name) =>
            node.Attribute.FirstOrDefault(a => a.Name == name) is { Type: AttributeProto.Types.AttributeType.Ints } a ? [.. a.Ints] : null;

        /// <summary>The nodes the graph's outputs depend on.</summary>
        private List<NodeProto> Live(List<NodeProto> nodes)
        {
            var producers = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
            foreach (var node in nodes)
            {
                foreach (var output in node.Output)
                {
                    producers[output] = node;
                }
            }

            var live = new HashSet<NodeProto>();
            var pending = new Stack<string>(_outputs);
            while (pending.Count > 0)
            {
                if (producers.TryGetValue(pending.Pop(), out var node) && live.Add(node))
                {
                    foreach (var input in node.Input)
                    {
                        pending.Push(input);
                    }
                }
            }

            return nodes.Where(live.Contains).ToList();
        }

        /// <summary>Orders <paramref name="nodes"/> so that each comes after the producers of its inputs (stable otherwise); null on a cycle.</summary>
        private static List<NodeProto>? Sort(List<NodeProto> nodes)
        {
            var producers = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < nodes.Count; i++)
            {
                foreach (var output in nodes[i].Output)
                {
                    producers[output] = i;
                }
            }

            var state = new byte[nodes.Count]; // 0 new, 1 on the stack, 2 placed
            var sorted = new List<NodeProto>(nodes.Count);
            for (var root = 0; root < nodes.Count; root++)
            {
                if (state[root] != 0)
                {
                    continue;
                }

                var stack = new Stack<(int Node, int Input)>();
                stack.Push((root, 0));
                state[root] = 1;
                while (stack.Count > 0)
                {
                    var (node, input) = stack.Pop();
                    var inputs = nodes[node].Input;
                    if (input < inputs.Count)
                    {
                        stack.Push((node, input + 1));
                        if (producers.TryGetValue(inputs[input], out var p))
                        {
                            if (state[p] == 1)
                            {
                                return null;
                            }

                            if (state[p] == 0)
                            {
                                state[p] = 1;
                                stack.Push((p, 0));
                            }
                        }
                    }
                    else
                    {
                        state[node] = 2;
                        sorted.Add(nodes[node]);
                    }
                }
            }

            return sorted;
        }
    }
}
