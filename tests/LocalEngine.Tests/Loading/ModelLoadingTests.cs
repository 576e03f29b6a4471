using Microsoft.Extensions.Options;

namespace Agents.LocalEngine.Tests.Loading;

[Collection(ModelCollection.Name)]
public sealed class ModelLoadingTests(ModelFixture models)
{
    private string CopyOf(TestModel model, string name) => models.CopyOf(model, name);

    [Fact]
    public void All_three_layouts_load_with_their_context_length_and_chat_format()
    {
        using var qwen = new LocalOnnxEngine(models.Qwen.Directory);
        using var external = new LocalOnnxEngine(models.External.Directory);
        using var genai = new LocalOnnxEngine(models.GenAi.Directory);
        Assert.True(File.Exists(Path.Combine(models.External.Directory, "onnx", "model.onnx_data")));
        Assert.Equal(256, qwen.ContextLength);
        Assert.Equal(256, genai.ContextLength);
        Assert.IsType<ChatMlFormatter>(qwen.PromptFormatter);
        Assert.IsType<Llama3Formatter>(genai.PromptFormatter);
        Assert.Equal(512, external.VocabSize);
    }

    [Fact]
    public void A_model_variant_picks_its_file()
    {
        var dir = CopyOf(models.Qwen, "variant");
        File.Move(Path.Combine(dir, "onnx", "model.onnx"), Path.Combine(dir, "onnx", "model_quantized.onnx"));
        var ex = Assert.Throws<LocalModelLoadException>(() => new LocalOnnxEngine(dir));
        Assert.EndsWith("model.onnx", ex.FilePath, StringComparison.Ordinal);
        using var engine = new LocalOnnxEngine(dir, new LocalOnnxEngineOptions { Variant = ModelVariant.Quantized });
        Assert.Equal(512, engine.VocabSize);
    }

    [Fact]
    public void Missing_directory_and_unknown_layout_are_named()
    {
        var missing = Path.Combine(models.Root, "does-not-exist");
        Assert.Equal(missing, Assert.Throws<LocalModelLoadException>(() => new LocalOnnxEngine(missing)).FilePath);
        var empty = models.NewDirectory("empty");
        var ex = Assert.Throws<LocalModelLoadException>(() => new LocalOnnxEngine(empty));
        Assert.Contains("unknown model layout", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Rewrites the JSON file at <paramref name="path"/> with the change <paramref name="edit"/> makes.</summary>
    private static void EditJson(string path, Action<JsonNode> edit)
    {
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
    }

    [Theory]
    [InlineData("onnx/model.onnx", "does not exist")]
    [InlineData("tokenizer.json", "does not exist")]
    [InlineData("config.json", "does not exist")]
    public void Missing_files_are_named(string file, string expected)
    {
        var dir = CopyOf(models.Qwen, "missing");
        File.Delete(Path.Combine(dir, file));
        if (file == "config.json")
        {
            // Without config.json (and no genai_config.json) the layout is unknown.
            var layout = Assert.Throws<LocalModelLoadException>(() => new LocalOnnxEngine(dir));
            Assert.Contains("unknown model layout", layout.Message, StringComparison.Ordinal);
            return;
        }

        LoadError.Expect(dir, Path.Combine(dir, file), expected);
    }

    [Theory]
    [InlineData("onnx/model.onnx", "ONNX Runtime could not load")]
    [InlineData("config.json", "invalid JSON")]
    [InlineData("tokenizer.json", "invalid JSON")]
    [InlineData("generation_config.json", "invalid JSON")]
    public void Corrupt_files_are_named(string file, string expected)
    {
        var dir = CopyOf(models.Qwen, "corrupt");
        File.WriteAllText(Path.Combine(dir, file), "{ this is not valid");
        LoadError.Expect(dir, Path.Combine(dir, file), expected);
    }

    [Fact]
    public void Missing_external_weights_are_a_load_error_naming_the_model()
    {
        var dir = CopyOf(models.External, "noweights");
        File.Delete(Path.Combine(dir, "onnx", "model.onnx_data"));
        LoadError.Expect(dir, Path.Combine(dir, "onnx", "model.onnx"));
    }

    [Fact]
    public void A_tokenizer_larger_than_the_model_vocabulary_is_rejected()
    {
        var dir = CopyOf(models.Qwen, "mismatch");
        TestTokenizerWriter.Write(Path.Combine(dir, "tokenizer.json"), 600, TestModelFactory.QwenSpecials);
        LoadError.Expect(dir, Path.Combine(dir, "tokenizer.json"), "does not belong to this model");
    }

    [Fact]
    public void A_non_byte_level_tokenizer_is_rejected_clearly()
    {
        var dir = CopyOf(models.Qwen, "wordpiece");
        var path = Path.Combine(dir, "tokenizer.json");
        EditJson(path, json => json["model"]!["type"] = "WordPiece");
        var ex = Assert.Throws<LocalModelLoadException>(() => new LocalOnnxEngine(dir));
        Assert.Contains("WordPiece", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Genai_config_naming_an_input_the_model_lacks_is_rejected()
    {
        var dir = CopyOf(models.GenAi, "badnames");
        var path = Path.Combine(dir, "genai_config.json");
        EditJson(path, json => json["model"]!["decoder"]!["inputs"]!["past_key_names"] = "past_key_values.%d.key");
        LoadError.Expect(dir, path, "past_key_values.0.key");
    }

    [Fact]
    public void Genai_shared_past_present_buffer_model_uses_buffers_that_grow_up_to_the_context_length()
    {
        using var engine = new LocalOnnxEngine(models.Shared.Directory);
        Assert.True(engine.Descriptor.PastPresentShareBuffer);
        Assert.False(engine.Descriptor.AttentionFused);
        Assert.False(engine.Session.HasPositionIds);
        using var cache = engine.Session.CreateCache(2);
        Assert.True(cache.IsShared);
        Assert.Equal(16, cache.Capacity);
        Assert.Equal(engine.ContextLength, cache.MaxCapacity);
        Assert.Equal([2L, 2, 16, 16], cache.Keys[0].GetTensorTypeAndShape().Shape);
        cache.EnsureCapacity(engine.ContextLength);
        Assert.Equal([2L, 2, engine.ContextLength, 16], cache.Keys[0].GetTensorTypeAndShape().Shape);
    }

    [Fact]
    public void Layer_count_disagreeing_with_config_is_rejected()
    {
        var dir = CopyOf(models.Qwen, "layers");
        var path = Path.Combine(dir, "config.json");
        EditJson(path, json => json["num_hidden_layers"] = 3);
        LoadError.Expect(dir, path);
    }

    [Fact]
    public void Cuda_on_the_cpu_only_runtime_names_the_missing_provider()
    {
        var ex = Assert.Throws<InvalidOperationException>(() =>
            new LocalOnnxEngine(models.Qwen.Directory, new LocalOnnxEngineOptions { ExecutionProvider = LocalExecutionProvider.Cuda }));
        Assert.Contains("CUDAExecutionProvider", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("IntraOpNumThreads")]
    [InlineData("DeviceId")]
    [InlineData("Variant")]
    [InlineData("MaxBatchSize")]
    [InlineData("MaxPrefillsPerStep")]
    [InlineData("KvCacheBudgetBytes")]
    [InlineData("MaxQueuedRequests")]
    [InlineData("MaxTokensPerRequest")]
    [InlineData("ParallelBatchRuns")]
    [InlineData("ParallelBatchRuns+")]
    [InlineData("ParallelBatchMinRunTime")]
    public void Invalid_engine_options_throw_OptionsValidationException_naming_the_option(string name)
    {
        var options = new LocalOnnxEngineOptions();
        switch (name)
        {
            case "IntraOpNumThreads": options.IntraOpNumThreads = -1; break;
            case "DeviceId": options.DeviceId = -2; break;
            case "Variant": options.Variant = (ModelVariant)42; break;
            case "MaxBatchSize": options.MaxBatchSize = 0; break;
            case "MaxPrefillsPerStep": options.MaxPrefillsPerStep = 0; break;
            case "KvCacheBudgetBytes": options.KvCacheBudgetBytes = -1; break;
            case "MaxQueuedRequests": options.MaxQueuedRequests = -1; break;
            case "ParallelBatchRuns": options.ParallelBatchRuns = -1; break;
            case "ParallelBatchRuns+": options.ParallelBatchRuns = 65; name = "ParallelBatchRuns"; break;
            case "ParallelBatchMinRunTime": options.ParallelBatchMinRunTime = TimeSpan.FromTicks(-1); break;
            default: options.MaxTokensPerRequest = 0; break;
        }

        var ex = Assert.Throws<OptionsValidationException>(() => new LocalOnnxEngine(models.Qwen.Directory, options));
        Assert.Equal(nameof(LocalOnnxEngineOptions), ex.OptionsName);
        Assert.Contains(ex.Failures, f => f.Contains(name, StringComparison.Ordinal));
        new LocalOnnxEngineOptions().Validate();
    }
}
