using Agents.LocalEngine.Loading.Fusion;
using Agents.LocalEngine.Loading.Fusion.Onnx;
using Google.Protobuf;

namespace Agents.LocalEngine.Tests.Loading;

[Collection(ModelCollection.Name)]
public sealed class AttentionFusionTests(ModelFixture models)
{
    private static readonly int[] Prompt = [5, 17, 42, 99, 3, 250, 7];

    private string CopyOf(TestModel model, string name) => models.CopyOf(model, name);

    /// <summary>Greedy <paramref name="tokens"/> after <see cref="Prompt"/> are the float64 reference's, end-of-sequence excluded.</summary>
    private static void AssertReferenceTokens(TestModel model, LocalOnnxEngine engine, IReadOnlyList<int> tokens)
    {
        var seq = Prompt.ToList();
        foreach (var token in tokens)
        {
            var last = ReferenceLlama.Forward(model.Weights, seq)[^1];
            foreach (var id in engine.EndOfSequenceTokenIds)
            {
                last[id] = float.NegativeInfinity;
            }

            Assert.Equal(Runtime.DecoderSessionTests.ArgMax(last), token);
            seq.Add(token);
        }
    }

    /// <summary>The model in <paramref name="directory"/> is fused and gives the export's greedy tokens.</summary>
    private static async Task AssertFusedAsExportedAsync(string directory)
    {
        using var fused = new LocalOnnxEngine(directory);
        using var plain = new LocalOnnxEngine(directory, new LocalOnnxEngineOptions { FuseAttention = false });
        Assert.True(fused.AttentionFused);
        var settings = new LocalGenerationSettings { MaxTokens = 12, MinTokens = 12, DoSample = false };
        Assert.Equal((await plain.GenerateAsync(Prompt, settings)).TokenIds, (await fused.GenerateAsync(Prompt, settings)).TokenIds);
    }

    private static ModelProto Graph(TestModel model) => ModelProto.Parser.ParseFrom(File.ReadAllBytes(model.ModelFile));

    private static string? Refusal(ModelProto model, int? heads = 4) => AttentionFusion.Fuse(model.ToByteArray(), heads).Reason;

    [Fact]
    public void An_optimum_export_becomes_one_group_query_attention_per_layer_reading_the_past_directly()
    {
        var result = AttentionFusion.Fuse(File.ReadAllBytes(models.Qwen.ModelFile), numHeads: 4);
        Assert.Null(result.Reason);
        var layers = models.Qwen.Weights.Spec.Layers;
        Assert.Equal(layers, result.Layers);

        var fused = ModelProto.Parser.ParseFrom(result.Model);
        var attention = fused.Graph.Node.Where(n => n.OpType == "GroupQueryAttention").ToList();
        Assert.Equal(layers, attention.Count);
        Assert.All(attention, n => Assert.Equal("com.microsoft", n.Domain));
        Assert.DoesNotContain(fused.Graph.Node, n => n.OpType is "Softmax" or "Concat" && n.Output.Any(o => o.StartsWith("present.", StringComparison.Ordinal)));
        Assert.DoesNotContain(fused.Graph.Node, n => n.OpType == "Softmax");
        for (var l = 0; l < layers; l++)
        {
            var node = attention.Single(n => n.Input[3] == $"past_key_values.{l}.key");
            Assert.Equal($"past_key_values.{l}.value", node.Input[4]);
            Assert.Equal([$"present.{l}.key", $"present.{l}.value"], node.Output.Skip(1));
            Assert.Equal(4, node.Attribute.Single(a => a.Name == "num_heads").I);
            Assert.Equal(2, node.Attribute.Single(a => a.Name == "kv_num_heads").I);
            Assert.Equal(1 / MathF.Sqrt(16), node.Attribute.Single(a => a.Name == "scale").F, 6);
            Assert.Equal(0, node.Attribute.Single(a => a.Name == "do_rotary").I);
        }

        // The mask and the repeat of the KV heads went with the attention; the rotary embedding and weights stayed.
        Assert.Contains(fused.OpsetImport, o => o.Domain == "com.microsoft");
        Assert.DoesNotContain(fused.Graph.Initializer, t => t.Name == "causal_table");
        Assert.Contains(fused.Graph.Initializer, t => t.Name == "rope_cos");
        Assert.True(result.Model!.Length < File.ReadAllBytes(models.Qwen.ModelFile).Length);
    }

    [Fact]
    public void The_rotary_embedding_moves_into_the_kernel_with_the_tables_the_export_computes()
    {
        var model = models.Qwen;
        var spec = model.Weights.Spec;
        var result = AttentionFusion.Fuse(File.ReadAllBytes(model.ModelFile), 4, folder: Path.GetDirectoryName(model.ModelFile), contextLength: spec.MaxPositions);
        Assert.Null(result.Reason);
        Assert.Equal(spec.Layers, result.RotaryLayers);
        var fused = ModelProto.Parser.ParseFrom(result.Model);
        Assert.All(fused.Graph.Node.Where(n => n.OpType == "GroupQueryAttention"), n =>
        {
            Assert.Equal(1, n.Attribute.Single(a => a.Name == "do_rotary").I);
            Assert.Equal(0, n.Attribute.Single(a => a.Name == "rotary_interleaved").I);
            Assert.Equal(["fused_rotary_cos", "fused_rotary_sin"], n.Input.Skip(7));
        });

        // The export's rotary ops and tables are gone; the kernel's tables hold cos/sin(position × inverse frequency).
        Assert.DoesNotContain(fused.Graph.Initializer, t => t.Name is "rope_cos" or "rope_sin");
        Assert.DoesNotContain(fused.Graph.Node, n => n.OpType == "Concat");
        var cos = fused.Graph.Initializer.Single(t => t.Name == "fused_rotary_cos");
        var sin = fused.Graph.Initializer.Single(t => t.Name == "fused_rotary_sin");
        int half = spec.HeadDim / 2;
        Assert.Equal([spec.MaxPositions, half], cos.Dims);
        var cosValues = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(cos.RawData.Span).ToArray();
        var sinValues = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(sin.RawData.Span).ToArray();
        foreach (var p in new[] { 0, 1, 37, spec.MaxPositions - 1 })
        {
            for (var i = 0; i < half; i++)
            {
                var angle = p / Math.Pow(spec.RopeTheta, 2.0 * i / spec.HeadDim);
                Assert.True(Math.Abs(Math.Cos(angle) - cosValues[(p * half) + i]) < 1e-5, $"cos at position {p}, pair {i}");
                Assert.True(Math.Abs(Math.Sin(angle) - sinValues[(p * half) + i]) < 1e-5, $"sin at position {p}, pair {i}");
            }
        }
    }

    [Fact]
    public async Task A_rotary_subgraph_that_is_not_the_kernel_rotation_stays_as_exported_in_its_layer()
    {
        // Layer 0's rotated query gets a constant added: no longer a rotation, so that layer keeps its rotary ops.
        var graph = Graph(models.Qwen);
        var firstRotary = graph.Graph.Node.First(n => n.OpType == "Concat" && n.Attribute.Any(a => a.Name == "axis" && a.I == 3));
        var bias = new TensorProto { Name = "rotary_bias", DataType = (int)TensorProto.Types.DataType.Float };
        bias.FloatData.Add(0.01f);
        graph.Graph.Initializer.Add(bias);
        var add = new NodeProto { OpType = "Add", Name = "rotary_plus_bias", Domain = string.Empty };
        add.Input.AddRange([firstRotary.Output[0] + "_raw", "rotary_bias"]);
        add.Output.Add(firstRotary.Output[0]);
        firstRotary.Output[0] += "_raw";
        graph.Graph.Node.Insert(graph.Graph.Node.IndexOf(firstRotary) + 1, add);
        var dir = CopyOf(models.Qwen, "not-a-rotation");
        File.WriteAllBytes(Path.Combine(dir, "onnx", "model.onnx"), graph.ToByteArray());

        var result = AttentionFusion.Fuse(graph.ToByteArray(), 4, folder: Path.Combine(dir, "onnx"), contextLength: 256);
        Assert.Null(result.Reason);
        Assert.Equal(1, result.RotaryLayers);
        var layer0 = ModelProto.Parser.ParseFrom(result.Model).Graph.Node.Single(n => n.Name == "fused_attention_0");
        Assert.Equal(0, layer0.Attribute.Single(a => a.Name == "do_rotary").I);

        await AssertFusedAsExportedAsync(dir);
    }

    [Fact]
    public async Task A_fused_graph_that_onnx_runtime_refuses_at_its_first_run_falls_back_to_the_export()
    {
        // Head size 8: CPU GroupQueryAttention rotates only multiples of 16 and says so when it first runs.
        var spec = new TinyLlamaSpec { Heads = 8, KvHeads = 2, Seed = 7 };
        var model = TestModelFactory.Create(models.NewDirectory("head-size-8"), spec: spec);
        var logs = new ListLoggerFactory();
        using var engine = new LocalOnnxEngine(model.Directory, new LocalOnnxEngineOptions { FuseRotaryAnyHeadSize = true }, logs);
        Assert.False(engine.AttentionFused);
        Assert.Contains(logs.Messages, m => m.StartsWith("Warning: ONNX Runtime refused the fused attention", StringComparison.Ordinal));
        var tokens = (await engine.GenerateAsync(Prompt, new LocalGenerationSettings { MaxTokens = 8, MinTokens = 8, DoSample = false })).TokenIds;
        AssertReferenceTokens(model, engine, tokens);

        // By default that head size keeps the export's rotary ops and the attention is fused.
        using var fused = new LocalOnnxEngine(model.Directory);
        Assert.True(fused.AttentionFused);
    }

    [Theory]
    [InlineData("qwen")]
    [InlineData("external-data")]
    public async Task The_fused_engine_gives_the_logits_and_tokens_of_the_export_and_of_the_float64_reference(string which)
    {
        var model = which == "qwen" ? models.Qwen : models.External;
        var logs = new ListLoggerFactory();
        using var fused = new LocalOnnxEngine(model.Directory, loggerFactory: logs);
        using var plain = new LocalOnnxEngine(model.Directory, new LocalOnnxEngineOptions { FuseAttention = false });
        Assert.True(fused.AttentionFused);
        Assert.True(fused.Descriptor.PastPresentShareBuffer);
        Assert.False(plain.AttentionFused);
        Assert.Contains(logs.Messages, m => m.Contains("rewritten into GroupQueryAttention (2 layers, 2 with the rotary embedding inside", StringComparison.Ordinal));

        // The prompt's logits: the same function up to float rounding.
        var a = new float[fused.VocabSize];
        var b = new float[plain.VocabSize];
        using var options = new Microsoft.ML.OnnxRuntime.RunOptions();
        using (var cacheA = fused.Session.CreateCache(1))
        using (var cacheB = plain.Session.CreateCache(1))
        {
            fused.Session.Forward(Prompt, Prompt.Length, cacheA, options, a);
            plain.Session.Forward(Prompt, Prompt.Length, cacheB, options, b);
        }

        for (var i = 0; i < a.Length; i++)
        {
            Assert.True(Math.Abs(a[i] - b[i]) < 1e-4, $"logit {i}: fused {a[i]}, export {b[i]}");
        }

        // Greedy tokens: identical to the export's and to the float64 reference's, across buffer growth (16, 32 positions).
        var settings = new LocalGenerationSettings { MaxTokens = 30, MinTokens = 30, DoSample = false };
        var tokens = (await fused.GenerateAsync(Prompt, settings)).TokenIds;
        Assert.Equal((await plain.GenerateAsync(Prompt, settings)).TokenIds, tokens);
        AssertReferenceTokens(model, fused, tokens);
    }

    [Theory]
    [InlineData(4, 4)] // as many KV heads as query heads: no repeat on the way to the scores
    [InlineData(4, 1)] // one KV head for all (multi-query)
    [InlineData(8, 2)]
    public async Task Other_head_layouts_are_rewritten_with_their_head_counts_and_keep_the_reference_tokens(int heads, int kvHeads)
    {
        var spec = new TinyLlamaSpec { Heads = heads, KvHeads = kvHeads, Seed = 99 + heads + kvHeads };
        var model = TestModelFactory.Create(models.NewDirectory($"heads-{heads}-{kvHeads}"), spec: spec);
        using var fused = new LocalOnnxEngine(model.Directory);
        Assert.True(fused.AttentionFused);
        var node = ModelProto.Parser.ParseFrom(AttentionFusion.Fuse(File.ReadAllBytes(model.ModelFile), heads).Model).Graph.Node.First(n => n.OpType == "GroupQueryAttention");
        Assert.Equal(heads, node.Attribute.Single(a => a.Name == "num_heads").I);
        Assert.Equal(kvHeads, node.Attribute.Single(a => a.Name == "kv_num_heads").I);

        var tokens = (await fused.GenerateAsync(Prompt, new LocalGenerationSettings { MaxTokens = 12, MinTokens = 12, DoSample = false })).TokenIds;
        AssertReferenceTokens(model, fused, tokens);
    }

    [Theory]
    [InlineData(TestFamily.Phi3)]
    [InlineData(TestFamily.Llama2)]
    public void Llama_style_families_in_the_optimum_layout_are_rewritten(TestFamily family)
    {
        var model = TestModelFactory.Create(models.NewDirectory($"family-{family}"), TestLayout.Optimum, family);
        using var engine = new LocalOnnxEngine(model.Directory);
        Assert.True(engine.AttentionFused);
    }

    [Fact]
    public async Task Concurrent_requests_of_different_lengths_share_right_padded_prefills_and_batched_steps_on_the_fused_model()
    {
        using var fused = new LocalOnnxEngine(models.Qwen.Directory, new LocalOnnxEngineOptions { EnablePrefixReuse = false });
        using var plain = new LocalOnnxEngine(models.Qwen.Directory, new LocalOnnxEngineOptions { EnablePrefixReuse = false, FuseAttention = false });
        int[][] prompts = [[5, 17, 42], [9, 8, 7, 6, 5, 4, 3, 2, 1, 11, 12], [100, 200], [31, 41, 59, 26, 53]];
        var settings = new LocalGenerationSettings { MaxTokens = 20, MinTokens = 20, DoSample = false };
        var together = await Task.WhenAll(prompts.Select(p => fused.GenerateAsync(p, settings)));
        for (var i = 0; i < prompts.Length; i++)
        {
            Assert.Equal((await plain.GenerateAsync(prompts[i], settings)).TokenIds, together[i].TokenIds);
        }
    }

    [Fact]
    public void A_float16_cache_wrapped_in_casts_is_left_as_exported_and_says_why()
    {
        var reason = Refusal(ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(models.Qwen.Directory, "onnx", "model_fp16.onnx"))));
        Assert.Contains("'present.0.key' is made by Cast", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scale_computed_from_the_query_head_size_at_run_time_is_read_and_the_tokens_stay_exact()
    {
        // As torch exports scaled_dot_product_attention: √(1/√head_dim) from Shape(q), on q and on Kᵀ.
        var dir = CopyOf(models.Qwen, "shape-scale");
        OnnxDecoderWriter.Write(Path.Combine(dir, "onnx", "model.onnx"), models.Qwen.Weights, new DecoderNames(), shapeScale: true);
        var result = AttentionFusion.Fuse(File.ReadAllBytes(Path.Combine(dir, "onnx", "model.onnx")), 4);
        Assert.Null(result.Reason);
        var fusedGraph = ModelProto.Parser.ParseFrom(result.Model);
        Assert.All(fusedGraph.Graph.Node.Where(n => n.OpType == "GroupQueryAttention"), n => Assert.Equal(0.25f, n.Attribute.Single(a => a.Name == "scale").F, 6));

        using var fused = new LocalOnnxEngine(dir);
        using var reference = new LocalOnnxEngine(models.Qwen.Directory, new LocalOnnxEngineOptions { FuseAttention = false });
        Assert.True(fused.AttentionFused);
        var settings = new LocalGenerationSettings { MaxTokens = 20, MinTokens = 20, DoSample = false };
        Assert.Equal((await reference.GenerateAsync(Prompt, settings)).TokenIds, (await fused.GenerateAsync(Prompt, settings)).TokenIds);
    }

    [Theory]
    [InlineData("sequence length", "is neither a constant nor computed from the head size")]
    [InlineData("mask sum", "between the scores and Softmax")]
    public void A_scale_that_depends_on_the_input_is_left_as_exported_and_the_engine_still_runs_the_export(string source, string expected)
    {
        var model = Graph(models.Qwen);

        // Replace the scores' constant scale by one computed from the input: the sequence length (from a shape, but not of a
        // head tensor) or the attention mask's sum (not a shape at all).
        var scaleMul = model.Graph.Node.First(n => n.OpType == "Mul" && n.Input.Any(i => model.Graph.Initializer.Any(t => t.Name == i && t.FloatData.Count == 1)) && model.Graph.Node.Any(m => m.OpType == "MatMul" && m.Output[0] == n.Input[0]));
        var constant = scaleMul.Input[1];
        NodeProto Node(string op, string output, params string[] inputs)
        {
            var node = new NodeProto { OpType = op, Name = output, Domain = string.Empty };
            node.Input.AddRange(inputs);
            node.Output.Add(output);
            model.Graph.Node.Insert(0, node);
            return node;
        }

        var index = new TensorProto { Name = "runtime_index", DataType = (int)TensorProto.Types.DataType.Int64 };
        index.Int64Data.Add(1);
        model.Graph.Initializer.Add(index);
        var cast = Node("Cast", "runtime_scale", "runtime_value");
        cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)TensorProto.Types.DataType.Float });
        if (source == "sequence length")
        {
            Node("Gather", "runtime_value", "runtime_shape", "runtime_index");
            Node("Shape", "runtime_shape", "input_ids");
        }
        else
        {
            Node("ReduceSum", "runtime_value", "attention_mask");
        }

        foreach (var node in model.Graph.Node.Where(n => n.OpType == "Mul" && n.Input.Count == 2 && n.Input[1] == constant))
        {
            node.Input[1] = "runtime_scale";
        }

        Assert.Contains(expected, Refusal(model), StringComparison.Ordinal);
        if (source != "mask sum")
        {
            return;
        }

        var dir = CopyOf(models.Qwen, "runtime-scale");
        File.WriteAllBytes(Path.Combine(dir, "onnx", "model.onnx"), model.ToByteArray());
        var logs = new ListLoggerFactory();
        using var engine = new LocalOnnxEngine(dir, loggerFactory: logs);
        Assert.False(engine.Descriptor.AttentionFused);
        Assert.False(engine.Descriptor.PastPresentShareBuffer);
        Assert.Contains(logs.Messages, m => m.Contains("left as exported: layer 0:", StringComparison.Ordinal) && m.Contains("Softmax", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_length_taken_from_the_past_for_the_mask_goes_with_the_mask_and_the_model_is_rewritten()
    {
        // As HF exports take the past length (Shape of layer 0's past key) to build the causal mask: here it is added to
        // layer 0's mask times 0. The rewrite drops the mask, so nothing reads the past but GroupQueryAttention.
        var model = Graph(models.Qwen);
        var scoresAdd = model.Graph.Node.First(n => n.OpType == "Add" && model.Graph.Node.Any(m => m.OpType == "Softmax" && m.Input[0] == n.Output[0]));
        var zero = new TensorProto { Name = "past_length_zero", DataType = (int)TensorProto.Types.DataType.Float };
        zero.FloatData.Add(0f);
        model.Graph.Initializer.Add(zero);
        var maskPlusLength = new NodeProto { OpType = "Add", Name = "mask_plus_length", Domain = string.Empty };
        maskPlusLength.Input.AddRange([scoresAdd.Input[1], "past_length_times_zero"]);
        maskPlusLength.Output.Add("mask_with_length");
        var times = new NodeProto { OpType = "Mul", Name = "length_times_zero", Domain = string.Empty };
        times.Input.AddRange(["past_length_float", "past_length_zero"]);
        times.Output.Add("past_length_times_zero");
        var axis = new TensorProto { Name = "past_length_axis", DataType = (int)TensorProto.Types.DataType.Int64 };
        axis.Int64Data.Add(2);
        model.Graph.Initializer.Add(axis);
        var gather = new NodeProto { OpType = "Gather", Name = "past_length_gather", Domain = string.Empty };
        gather.Input.AddRange(["past_length_dims", "past_length_axis"]);
        gather.Output.Add("past_length");
        var cast = new NodeProto { OpType = "Cast", Name = "length_cast", Domain = string.Empty };
        cast.Input.Add("past_length");
        cast.Output.Add("past_length_float");
        cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)TensorProto.Types.DataType.Float });
        var shape = new NodeProto { OpType = "Shape", Name = "past_length_shape", Domain = string.Empty };
        shape.Input.Add("past_key_values.0.key");
        shape.Output.Add("past_length_dims");
        var at = model.Graph.Node.IndexOf(scoresAdd);
        model.Graph.Node.Insert(at, maskPlusLength);
        model.Graph.Node.Insert(at, times);
        model.Graph.Node.Insert(at, cast);
        model.Graph.Node.Insert(at, gather);
        model.Graph.Node.Insert(at, shape);
        scoresAdd.Input[1] = "mask_with_length";

        Assert.Null(Refusal(model));
        var dir = CopyOf(models.Qwen, "past-length");
        File.WriteAllBytes(Path.Combine(dir, "onnx", "model.onnx"), model.ToByteArray());
        await AssertFusedAsExportedAsync(dir);
    }

    [Fact]
    public void A_past_tensor_still_read_after_the_rewrite_is_left_as_exported()
    {
        // Its length would be the shared buffer's capacity, not the positions held.
        var model = Graph(models.Qwen);
        var shape = new NodeProto { OpType = "Shape", Name = "past_length", Domain = string.Empty };
        shape.Input.Add("past_key_values.1.key");
        shape.Output.Add("past_length_out");
        model.Graph.Node.Add(shape);
        model.Graph.Output.Add(new ValueInfoProto { Name = "past_length_out" });
        Assert.Equal("'past_key_values.1.key' is still read by Shape 'past_length' (its length would be the shared buffer's, not the cached positions')", Refusal(model));
    }

    [Fact]
    public void A_merged_decoder_with_subgraphs_is_left_as_exported()
    {
        var model = Graph(models.Qwen);
        var branch = new NodeProto { OpType = "If", Name = "use_cache_branch", Domain = string.Empty };
        branch.Input.Add("attention_mask");
        branch.Output.Add("branch_out");
        branch.Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph });
        model.Graph.Node.Add(branch);
        Assert.Contains("control-flow subgraphs (If 'use_cache_branch'", Refusal(model), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3, "config.json says 3 query heads but the query projection has 4 (64 wide, head size 16)")]
    [InlineData(2, "config.json says 2 query heads but the query projection has 4 (64 wide, head size 16)")]
    public void A_head_count_that_disagrees_with_the_query_projection_is_left_as_exported(int heads, string expected) =>
        Assert.Equal($"layer 0: {expected}", Refusal(Graph(models.Qwen), heads));

    [Fact]
    public void Without_a_configured_head_count_the_query_projection_gives_it_and_without_either_the_model_is_left_as_exported()
    {
        var model = Graph(models.Qwen);
        var fused = AttentionFusion.Fuse(model.ToByteArray(), numHeads: null);
        Assert.Null(fused.Reason);
        Assert.All(ModelProto.Parser.ParseFrom(fused.Model).Graph.Node.Where(n => n.OpType == "GroupQueryAttention"), n => Assert.Equal(4, n.Attribute.Single(a => a.Name == "num_heads").I));

        // The query weight behind something the walk does not pass (its projection hidden): nothing says how many heads.
        foreach (var node in model.Graph.Node.Where(n => n.OpType == "MatMul" && n.Input[1].EndsWith(".wq", StringComparison.Ordinal)))
        {
            var weight = node.Input[1];
            var identity = new NodeProto { OpType = "Identity", Name = weight + "_hidden", Domain = string.Empty };
            identity.Input.Add(weight);
            identity.Output.Add(weight + "_hidden");
            model.Graph.Node.Insert(0, identity);
            node.Input[1] = weight + "_hidden";
        }

        Assert.Equal("layer 0: num_attention_heads is not in config.json and no query projection weight was found", Refusal(model, heads: null));
        Assert.Null(Refusal(model, heads: 4));
    }

    [Fact]
    public void Bytes_that_are_not_a_model_are_refused_with_a_reason()
    {
        var result = AttentionFusion.Fuse([0xFF, 0xFF, 0xFF, 0x01], 4);
        Assert.Null(result.Model);
        Assert.Contains("not an ONNX model", result.Reason, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => AttentionFusion.Fuse(null!, 4));
    }

    [Fact]
    public void A_cuda_engine_only_rewrites_float16_caches()
    {
        var result = AttentionFusion.Fuse(File.ReadAllBytes(models.Qwen.ModelFile), 4, TensorProto.Types.DataType.Float16);
        Assert.Contains("the KV cache is Float; this provider's GroupQueryAttention is rewritten for Float16", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_with_a_sliding_window_loads_the_export_unchanged()
    {
        const string edit = "sliding", reason = "sliding window of 64 positions";
        var dir = CopyOf(models.Qwen, edit);
        var path = Path.Combine(dir, "config.json");
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json["sliding_window"] = 64;

        File.WriteAllText(path, json.ToJsonString());
        var logs = new ListLoggerFactory();
        using var engine = new LocalOnnxEngine(dir, loggerFactory: logs);
        Assert.False(engine.Descriptor.AttentionFused);
        Assert.Contains(logs.Messages, m => m.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_config_whose_head_count_disagrees_with_the_graph_loads_the_export_and_says_why()
    {
        // config.json says 2 query heads; the graph's query projection has 4 (2 KV heads).
        var dir = CopyOf(models.Qwen, "wrong-heads");
        var path = Path.Combine(dir, "config.json");
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json["num_attention_heads"] = 2;
        File.WriteAllText(path, json.ToJsonString());
        var logs = new ListLoggerFactory();
        using var engine = new LocalOnnxEngine(dir, loggerFactory: logs);
        Assert.False(engine.AttentionFused);
        Assert.Contains(logs.Messages, m => m.Contains("left as exported: layer 0: config.json says 2 query heads but the query projection has 4", StringComparison.Ordinal));
        using var reference = new LocalOnnxEngine(models.Qwen.Directory, new LocalOnnxEngineOptions { FuseAttention = false });
        var settings = new LocalGenerationSettings { MaxTokens = 8, MinTokens = 8, DoSample = false };
        Assert.Equal((await reference.GenerateAsync(Prompt, settings)).TokenIds, (await engine.GenerateAsync(Prompt, settings)).TokenIds);
    }

    [Fact]
    public void A_graph_file_over_the_size_limit_is_loaded_as_it_is_unless_its_weights_are_external_data()
    {
        var limit = new FileInfo(models.External.ModelFile).Length + 1; // the external-data graph file is small
        Assert.True(new FileInfo(models.Qwen.ModelFile).Length > limit);
        var logs = new ListLoggerFactory();
        using var inside = new LocalOnnxEngine(models.Qwen.Directory, new LocalOnnxEngineOptions { MaxFusedModelFileBytes = limit }, logs);
        Assert.False(inside.AttentionFused);
        Assert.Contains(logs.Messages, m => m.Contains("with its weights inside; files over 0 MiB are rewritten only when their weights are external data", StringComparison.Ordinal));
        using var external = new LocalOnnxEngine(models.External.Directory, new LocalOnnxEngineOptions { MaxFusedModelFileBytes = limit });
        Assert.True(external.AttentionFused);
    }

    [Fact]
    public void A_sliding_window_switched_off_in_config_is_still_rewritten()
    {
        var dir = CopyOf(models.Qwen, "sliding-off");
        var path = Path.Combine(dir, "config.json");
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json["sliding_window"] = 64;
        json["use_sliding_window"] = false;
        File.WriteAllText(path, json.ToJsonString());
        using var engine = new LocalOnnxEngine(dir);
        Assert.True(engine.Descriptor.AttentionFused);
    }

    [Fact]
    public void FuseAttention_false_loads_the_export_as_it_is()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory, new LocalOnnxEngineOptions { FuseAttention = false });
        Assert.False(engine.Descriptor.AttentionFused);
        Assert.False(engine.Descriptor.PastPresentShareBuffer);
        using var cache = engine.Session.CreateCache(1);
        Assert.False(cache.IsShared);
    }
}
