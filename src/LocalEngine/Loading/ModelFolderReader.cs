using System.Globalization;
using System.Text.Json;

namespace Agents.LocalEngine.Loading;

/// <summary>Reads the configuration files of an Optimum or onnxruntime-genai model folder.</summary>
internal static class ModelFolderReader
{
    public static ModelDescriptor Read(string directory, ModelVariant variant)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new LocalModelLoadException(directory, "the model directory does not exist.", null);
        }

        // tokenizer.json; a SentencePiece tokenizer.model only when there is no tokenizer.json.
        var tokenizerPath = Path.Combine(directory, "tokenizer.json");
        var sentencePiecePath = Path.Combine(directory, "tokenizer.model");
        if (!File.Exists(tokenizerPath) && File.Exists(sentencePiecePath))
        {
            tokenizerPath = sentencePiecePath;
        }

        var genaiPath = Path.Combine(directory, "genai_config.json");
        var configPath = Path.Combine(directory, "config.json");
        var tokConfig = ReadOptional(Path.Combine(directory, "tokenizer_config.json"));
        ModelDescriptor descriptor;
        if (File.Exists(genaiPath))
        {
            descriptor = ReadGenAi(directory, genaiPath, tokenizerPath, tokConfig);
        }
        else if (File.Exists(configPath))
        {
            descriptor = ReadOptimum(directory, configPath, tokenizerPath, tokConfig, variant);
        }
        else
        {
            throw new LocalModelLoadException(directory,
                "unknown model layout: expected genai_config.json (onnxruntime-genai export) or config.json with onnx/model.onnx (Optimum / transformers.js export).",
                null);
        }

        if (!File.Exists(descriptor.ModelPath))
        {
            throw new LocalModelLoadException(descriptor.ModelPath, "the ONNX model file does not exist.", null);
        }

        if (!File.Exists(tokenizerPath))
        {
            throw new LocalModelLoadException(tokenizerPath, "the tokenizer file does not exist (nor does a SentencePiece tokenizer.model).", null);
        }

        return descriptor;
    }

    private static ModelDescriptor ReadOptimum(string directory, string configPath, string tokenizerPath, JsonElement? tokConfig, ModelVariant variant)
    {
        var config = ReadRequired(configPath);
        var generation = ReadOptional(Path.Combine(directory, "generation_config.json"));
        var fileName = variant switch
        {
            ModelVariant.Fp16 => "model_fp16.onnx",
            ModelVariant.Quantized => "model_quantized.onnx",
            _ => "model.onnx",
        };
        var modelPath = Path.Combine(directory, "onnx", fileName);
        if (!File.Exists(modelPath) && variant == ModelVariant.Default && File.Exists(Path.Combine(directory, fileName)))
        {
            modelPath = Path.Combine(directory, fileName);
        }

        var heads = GetInt(config, "num_attention_heads", configPath);
        var hidden = GetInt(config, "hidden_size", configPath);
        var headDim = GetInt(config, "head_dim", configPath) ?? (heads is > 0 && hidden is > 0 ? hidden / heads : null);
        var eos = new List<int>();
        AddIds(eos, generation, "eos_token_id");
        AddIds(eos, config, "eos_token_id");
        var contextLength = GetInt(config, "max_position_embeddings", configPath)
            ?? GetInt(config, "n_positions", configPath)
            ?? throw new LocalModelLoadException(configPath, "max_position_embeddings is missing: the context length is unknown.", null);
        return new ModelDescriptor
        {
            Directory = directory,
            Layout = ModelLayout.Optimum,
            ModelPath = modelPath,
            ConfigPath = configPath,
            TokenizerPath = tokenizerPath,
            ModelType = GetString(config, "model_type") ?? string.Empty,
            NumLayers = GetInt(config, "num_hidden_layers", configPath),
            NumKvHeads = GetInt(config, "num_key_value_heads", configPath) ?? heads,
            NumHeads = heads,
            SlidingWindow = GetBool(config, "use_sliding_window") == false ? null : GetInt(config, "sliding_window", configPath),
            HeadDim = headDim,
            VocabSize = GetInt(config, "vocab_size", configPath),
            ContextLength = contextLength,
            BosTokenId = GetInt(generation, "bos_token_id", configPath) ?? GetInt(config, "bos_token_id", configPath),
            EosTokenIds = eos,
            BosToken = TokenString(tokConfig, "bos_token"),
            EosToken = TokenString(tokConfig, "eos_token"),
            AddBosToken = GetBool(tokConfig, "add_bos_token"),
            ChatTemplate = GetString(tokConfig, "chat_template"),
            Defaults = new GenerationDefaults
            {
                DoSample = GetBool(generation, "do_sample"),
                Temperature = GetFloat(generation, "temperature"),
                TopK = GetInt(generation, "top_k", configPath),
                TopP = GetFloat(generation, "top_p"),
                RepetitionPenalty = GetFloat(generation, "repetition_penalty"),
            },
        };
    }

    private static ModelDescriptor ReadGenAi(string directory, string genaiPath, string tokenizerPath, JsonElement? tokConfig)
    {
        var root = ReadRequired(genaiPath);
        if (!root.TryGetProperty("model", out var model) || !model.TryGetProperty("decoder", out var decoder))
        {
            throw new LocalModelLoadException(genaiPath, "model.decoder is missing.", null);
        }

        var search = root.TryGetProperty("search", out var s) ? s : (JsonElement?)null;
        var fileName = GetString(decoder, "filename") ?? throw new LocalModelLoadException(genaiPath, "model.decoder.filename is missing.", null);
        var inputs = decoder.TryGetProperty("inputs", out var i) ? i : throw new LocalModelLoadException(genaiPath, "model.decoder.inputs is missing.", null);
        var outputs = decoder.TryGetProperty("outputs", out var o) ? o : throw new LocalModelLoadException(genaiPath, "model.decoder.outputs is missing.", null);
        string Need(JsonElement e, string section, string name) =>
            GetString(e, name) ?? throw new LocalModelLoadException(genaiPath, $"model.decoder.{section}.{name} is missing.", null);
        var names = new GenAiNames(
            Need(inputs, "inputs", "input_ids"),
            GetString(inputs, "attention_mask"),
            GetString(inputs, "position_ids"),
            Need(inputs, "inputs", "past_key_names"),
            Need(inputs, "inputs", "past_value_names"),
            Need(outputs, "outputs", "logits"),
            Need(outputs, "outputs", "present_key_names"),
            Need(outputs, "outputs", "present_value_names"));
        var eos = new List<int>();
        AddIds(eos, model, "eos_token_id");
        var context = GetInt(model, "context_length", genaiPath) ?? GetInt(search, "max_length", genaiPath)
            ?? throw new LocalModelLoadException(genaiPath, "model.context_length is missing: the context length is unknown.", null);
        return new ModelDescriptor
        {
            Directory = directory,
            Layout = ModelLayout.GenAi,
            ModelPath = Path.Combine(directory, fileName),
            ConfigPath = genaiPath,
            TokenizerPath = tokenizerPath,
            ModelType = GetString(model, "type") ?? string.Empty,
            NumLayers = GetInt(decoder, "num_hidden_layers", genaiPath),
            NumKvHeads = GetInt(decoder, "num_key_value_heads", genaiPath) ?? GetInt(decoder, "num_attention_heads", genaiPath),
            HeadDim = GetInt(decoder, "head_size", genaiPath),
            VocabSize = GetInt(model, "vocab_size", genaiPath),
            ContextLength = context,
            BosTokenId = GetInt(model, "bos_token_id", genaiPath),
            EosTokenIds = eos,
            BosToken = TokenString(tokConfig, "bos_token"),
            EosToken = TokenString(tokConfig, "eos_token"),
            AddBosToken = GetBool(tokConfig, "add_bos_token"),
            ChatTemplate = GetString(tokConfig, "chat_template"),
            GenAiNames = names,
            PastPresentShareBuffer = GetBool(search, "past_present_share_buffer") == true,
            Defaults = new GenerationDefaults
            {
                DoSample = GetBool(search, "do_sample"),
                Temperature = GetFloat(search, "temperature"),
                TopK = GetInt(search, "top_k", genaiPath),
                TopP = GetFloat(search, "top_p"),
                RepetitionPenalty = GetFloat(search, "repetition_penalty"),
            },
        };
    }

    private static JsonElement ReadRequired(string path)
    {
        if (!File.Exists(path))
        {
            throw new LocalModelLoadException(path, "the file does not exist.", null);
        }

        return Parse(path);
    }

    private static JsonElement? ReadOptional(string path) => File.Exists(path) ? Parse(path) : null;

    private static JsonElement Parse(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new LocalModelLoadException(path, "expected a JSON object.", null);
            }

            return doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new LocalModelLoadException(path, $"invalid JSON ({ex.Message}).", ex);
        }
    }

    private static string? GetString(JsonElement? e, string name) =>
        e is { } x && x.ValueKind == JsonValueKind.Object && x.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool? GetBool(JsonElement? e, string name) =>
        e is { } x && x.ValueKind == JsonValueKind.Object && x.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    private static float? GetFloat(JsonElement? e, string name) =>
        e is { } x && x.ValueKind == JsonValueKind.Object && x.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetSingle() : null;

    private static int? GetInt(JsonElement? e, string name, string file)
    {
        if (e is not { } x || x.ValueKind != JsonValueKind.Object || !x.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n))
        {
            return n;
        }

        throw new LocalModelLoadException(file, $"\"{name}\" must be an integer (was {v.GetRawText()}).", null);
    }

    private static void AddIds(List<int> ids, JsonElement? e, string name)
    {
        if (e is not { } x || x.ValueKind != JsonValueKind.Object || !x.TryGetProperty(name, out var v))
        {
            return;
        }

        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var one) && !ids.Contains(one))
        {
            ids.Add(one);
        }
        else if (v.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in v.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Number && item.TryGetInt32(out var id) && !ids.Contains(id))
                {
                    ids.Add(id);
                }
            }
        }
    }

    private static string? TokenString(JsonElement? e, string name)
    {
        if (e is not { } x || x.ValueKind != JsonValueKind.Object || !x.TryGetProperty(name, out var v))
        {
            return null;
        }

        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Object when v.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String => c.GetString(),
            _ => null,
        };
    }

    internal static string Format(string pattern, int layer) =>
        pattern.Replace("%d", layer.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
}
