using System.Text.Json.Nodes;

namespace Agents.LocalEngine.Tests.TestModels;

public enum TestLayout
{
    Optimum,
    OptimumExternalData,
    GenAi,

    /// <summary>onnxruntime-genai layout with GroupQueryAttention and past_present_share_buffer = true.</summary>
    GenAiSharedBuffer,
}

public enum TestFamily
{
    Qwen,
    Llama3,

    /// <summary>Phi-3 chat format with the Llama-2 style (SentencePiece BPE, byte fallback) tokenizer.json fixture.</summary>
    Phi3,

    /// <summary>Llama-2 [INST] chat format with the same tokenizer.json fixture.</summary>
    Llama2,
}

/// <summary>A test-built model folder and the weights it was written from.</summary>
public sealed record TestModel(string Directory, TinyLlamaWeights Weights, IReadOnlyDictionary<string, int> Vocab, string ModelFile);

/// <summary>Writes complete model folders (ONNX graph, configs, tokenizer) in the Optimum or onnxruntime-genai layout.</summary>
public static class TestModelFactory
{
    public static readonly string[] QwenSpecials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<tool_call>", "</tool_call>"];
    public static readonly string[] Llama3Specials = ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"];

    public const string QwenTemplate = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";
    public const string Phi3Template = "{% for message in messages %}{{'<|' + message['role'] + '|>' + '\n' + message['content'] + '<|end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>\n' }}{% endif %}";
    public const string Llama2Template = "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% else %}{{ ' ' + message['content'] + ' ' + eos_token }}{% endif %}{% endfor %}";
    public const string Llama3Template = "{{ bos_token }}{% for message in messages %}{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n' + message['content'] | trim + '<|eot_id|>' }}{% endfor %}";

    public static TestModel Create(string directory, TestLayout layout = TestLayout.Optimum, TestFamily family = TestFamily.Qwen, TinyLlamaSpec? spec = null, bool positionIds = true, float[]? positionLogits = null)
    {
        spec ??= new TinyLlamaSpec();
        System.IO.Directory.CreateDirectory(directory);
        var weights = TinyLlamaWeights.Create(spec);
        if (family is TestFamily.Phi3 or TestFamily.Llama2)
        {
            return CreateLlamaStyle(directory, family, layout, spec, weights, positionIds, positionLogits);
        }

        var specials = family == TestFamily.Qwen ? QwenSpecials : Llama3Specials;
        var vocab = TestTokenizerWriter.Write(Path.Combine(directory, "tokenizer.json"), spec.VocabSize, specials);
        int? bos = family == TestFamily.Llama3 ? vocab["<|begin_of_text|>"] : null;
        var eos = family == TestFamily.Qwen ? new[] { vocab["<|im_end|>"], vocab["<|endoftext|>"] } : [vocab["<|eot_id|>"], vocab["<|end_of_text|>"]];
        var modelType = family == TestFamily.Qwen ? "qwen2" : "llama";

        var tokConfig = new JsonObject
        {
            ["add_bos_token"] = family == TestFamily.Llama3,
            ["bos_token"] = family == TestFamily.Llama3 ? "<|begin_of_text|>" : null,
            ["eos_token"] = family == TestFamily.Qwen ? "<|im_end|>" : "<|eot_id|>",
            ["pad_token"] = family == TestFamily.Qwen ? "<|endoftext|>" : "<|end_of_text|>",
            ["chat_template"] = family == TestFamily.Qwen ? QwenTemplate : Llama3Template,
            ["model_max_length"] = spec.MaxPositions,
            ["tokenizer_class"] = "PreTrainedTokenizerFast",
        };
        File.WriteAllText(Path.Combine(directory, "tokenizer_config.json"), tokConfig.ToJsonString());
        return WriteModel(directory, layout, spec, weights, vocab, bos, eos, modelType, family == TestFamily.Qwen ? "Qwen2ForCausalLM" : "LlamaForCausalLM", positionIds, positionLogits);
    }

    /// <summary>A Phi-3 (&lt;|end|&gt; ends a turn) or Llama-2 (&lt;/s&gt;) folder with the Llama-2 style tokenizer.json fixture (&lt;s&gt; BOS).</summary>
    private static TestModel CreateLlamaStyle(string directory, TestFamily family, TestLayout layout, TinyLlamaSpec spec, TinyLlamaWeights weights, bool positionIds, float[]? positionLogits)
    {
        var json = LlamaStyleFixtures.Json("llama-legacy");
        File.WriteAllText(Path.Combine(directory, "tokenizer.json"), json.ToJsonString());
        var vocab = json["model"]!["vocab"]!.AsObject().ToDictionary(kv => kv.Key, kv => (int)kv.Value!, StringComparer.Ordinal);
        foreach (var token in json["added_tokens"]!.AsArray())
        {
            vocab[(string)token!["content"]!] = (int)token["id"]!;
        }

        var tokConfig = new JsonObject
        {
            ["add_bos_token"] = true,
            ["bos_token"] = "<s>",
            ["eos_token"] = family == TestFamily.Phi3 ? "<|end|>" : "</s>",
            ["unk_token"] = "<unk>",
            ["pad_token"] = "</s>",
            ["chat_template"] = family == TestFamily.Phi3 ? Phi3Template : Llama2Template,
            ["model_max_length"] = spec.MaxPositions,
            ["tokenizer_class"] = "LlamaTokenizer",
            ["legacy"] = true,
        };
        File.WriteAllText(Path.Combine(directory, "tokenizer_config.json"), tokConfig.ToJsonString());
        return family == TestFamily.Phi3
            ? WriteModel(directory, layout, spec, weights, vocab, vocab["<s>"], [vocab["<|end|>"], vocab["</s>"]], "phi3", "Phi3ForCausalLM", positionIds, positionLogits)
            : WriteModel(directory, layout, spec, weights, vocab, vocab["<s>"], [vocab["</s>"]], "llama", "LlamaForCausalLM", positionIds, positionLogits);
    }

    private static TestModel WriteModel(string directory, TestLayout layout, TinyLlamaSpec spec, TinyLlamaWeights weights, Dictionary<string, int> vocab,
        int? bos, int[] eos, string modelType, string architecture, bool positionIds, float[]? positionLogits)
    {
        string modelFile;
        if (layout is TestLayout.GenAi or TestLayout.GenAiSharedBuffer)
        {
            modelFile = Path.Combine(directory, "decoder.onnx");
            var names = new DecoderNames
            {
                PositionIds = positionIds ? "position_ids" : null,
                PastKey = "past_key.{0}",
                PastValue = "past_value.{0}",
                PresentKey = "present_key.{0}",
                PresentValue = "present_value.{0}",
            };
            var shared = layout == TestLayout.GenAiSharedBuffer;
            if (shared)
            {
                names = names with { PositionIds = null };
                positionIds = false;
            }

            OnnxDecoderWriter.Write(modelFile, weights, names, groupQueryAttention: shared);
            var inputs = new JsonObject
            {
                ["input_ids"] = "input_ids",
                ["attention_mask"] = "attention_mask",
                ["past_key_names"] = "past_key.%d",
                ["past_value_names"] = "past_value.%d",
            };
            if (positionIds)
            {
                inputs["position_ids"] = "position_ids";
            }

            var genai = new JsonObject
            {
                ["model"] = new JsonObject
                {
                    ["bos_token_id"] = bos ?? eos[1],
                    ["context_length"] = spec.MaxPositions,
                    ["decoder"] = new JsonObject
                    {
                        ["session_options"] = new JsonObject { ["log_id"] = "onnxruntime-genai", ["provider_options"] = new JsonArray() },
                        ["filename"] = "decoder.onnx",
                        ["head_size"] = spec.HeadDim,
                        ["hidden_size"] = spec.Hidden,
                        ["inputs"] = inputs,
                        ["outputs"] = new JsonObject
                        {
                            ["logits"] = "logits",
                            ["present_key_names"] = "present_key.%d",
                            ["present_value_names"] = "present_value.%d",
                        },
                        ["num_attention_heads"] = spec.Heads,
                        ["num_hidden_layers"] = spec.Layers,
                        ["num_key_value_heads"] = spec.KvHeads,
                    },
                    ["eos_token_id"] = new JsonArray([.. eos.Select(e => (JsonNode)e)]),
                    ["pad_token_id"] = eos[1],
                    ["type"] = modelType,
                    ["vocab_size"] = spec.VocabSize,
                },
                ["search"] = new JsonObject
                {
                    ["do_sample"] = false,
                    ["max_length"] = spec.MaxPositions,
                    ["past_present_share_buffer"] = shared,
                    ["temperature"] = 1.0,
                    ["top_k"] = 1,
                    ["top_p"] = 1.0,
                    ["repetition_penalty"] = 1.0,
                    ["num_return_sequences"] = 1,
                },
            };
            File.WriteAllText(Path.Combine(directory, "genai_config.json"), genai.ToJsonString());
        }
        else
        {
            System.IO.Directory.CreateDirectory(Path.Combine(directory, "onnx"));
            modelFile = Path.Combine(directory, "onnx", "model.onnx");
            OnnxDecoderWriter.Write(modelFile, weights, new DecoderNames { PositionIds = positionIds ? "position_ids" : null },
                layout == TestLayout.OptimumExternalData ? "model.onnx_data" : null, positionLogits);

            // model_fp16.onnx: float16 KV cache and logits at the graph boundary (selected with ModelVariant.Fp16).
            OnnxDecoderWriter.Write(Path.Combine(directory, "onnx", "model_fp16.onnx"), weights, new DecoderNames { PositionIds = positionIds ? "position_ids" : null },
                float16Io: true);
            var config = new JsonObject
            {
                ["architectures"] = new JsonArray(architecture),
                ["model_type"] = modelType,
                ["vocab_size"] = spec.VocabSize,
                ["hidden_size"] = spec.Hidden,
                ["intermediate_size"] = spec.Intermediate,
                ["num_hidden_layers"] = spec.Layers,
                ["num_attention_heads"] = spec.Heads,
                ["num_key_value_heads"] = spec.KvHeads,
                ["head_dim"] = spec.HeadDim,
                ["max_position_embeddings"] = spec.MaxPositions,
                ["rms_norm_eps"] = spec.RmsEps,
                ["rope_theta"] = spec.RopeTheta,
                ["bos_token_id"] = bos ?? eos[1],
                ["eos_token_id"] = eos[0],
                ["torch_dtype"] = "float32",
            };
            File.WriteAllText(Path.Combine(directory, "config.json"), config.ToJsonString());
            var generation = new JsonObject
            {
                ["bos_token_id"] = bos ?? eos[1],
                ["eos_token_id"] = new JsonArray([.. eos.Select(e => (JsonNode)e)]),
                ["do_sample"] = false,
            };
            File.WriteAllText(Path.Combine(directory, "generation_config.json"), generation.ToJsonString());
        }

        return new TestModel(directory, weights, vocab, modelFile);
    }
}
