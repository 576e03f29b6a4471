using System.Text;
using Agents.LocalEngine.Loading;
using Agents.LocalEngine.Tokenization;

namespace Agents.LocalEngine.Tests.Tokenization;

/// <summary>
/// Llama-style tokenizer.json files (SentencePiece BPE with byte fallback) against Fixtures/expected.json, the ids and
/// decoded texts transformers.js produced for them (Fixtures/generate-expected.mjs).
/// </summary>
public sealed class SentencePieceTokenizerTests
{
    public static TheoryData<string> Forms => [.. LlamaStyleFixtures.Forms];

    internal static LocalTokenizer Load(string tokenizerPath, string? directory = null) => LocalTokenizer.Load(new ModelDescriptor
    {
        Directory = directory ?? Path.GetDirectoryName(tokenizerPath)!,
        Layout = ModelLayout.Optimum,
        ModelPath = "model.onnx",
        ConfigPath = "config.json",
        TokenizerPath = tokenizerPath,
        ContextLength = 256,
    });

    private static List<(string Text, int[] Ids, string Decoded)> Expected(string form)
    {
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(LlamaStyleFixtures.Folder, "expected.json")))!;
        var texts = expected["texts"]!.AsArray().Select(t => (string)t!).ToList();
        var rows = expected["forms"]![form]!.AsArray();
        Assert.Equal(texts.Count, rows.Count);
        return [.. texts.Select((t, i) => (t, rows[i]!["ids"]!.AsArray().Select(x => (int)x!).ToArray(), (string)rows[i]!["decoded"]!))];
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void Encoding_matches_transformers_js(string form)
    {
        var tokenizer = Load(LlamaStyleFixtures.PathOf(form));
        foreach (var (text, ids, _) in Expected(form))
        {
            var actual = tokenizer.Encode(text, addBos: false);
            Assert.Equal($"{text}: {string.Join(' ', ids)}", $"{text}: {string.Join(' ', actual)}");
        }
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void Decoding_whole_and_streamed_one_token_at_a_time_matches_transformers_js(string form)
    {
        var tokenizer = Load(LlamaStyleFixtures.PathOf(form));
        foreach (var (text, ids, decoded) in Expected(form))
        {
            Assert.Equal($"{text}: {decoded}", $"{text}: {tokenizer.Decode(ids)}");
            var detok = new StreamingDetokenizer(tokenizer);
            var pieces = ids.Select(detok.Append).ToList();
            Assert.All(pieces, p => Assert.DoesNotContain('\uFFFD', p));
            Assert.Equal($"{text}: {decoded}", $"{text}: {string.Concat(pieces) + detok.Flush()}");
        }
    }

    [Fact]
    public void The_fixtures_exercise_byte_fallback_merges_and_the_dummy_prefix()
    {
        // Guards the fixtures themselves: the comparison above is only meaningful if these cases occur.
        var tokenizer = Load(LlamaStyleFixtures.PathOf("llama-legacy"));
        var ids = tokenizer.Encode("hello 🦊", addBos: false);
        Assert.Equal([tokenizer.TokenId("\u2581hello")!.Value, tokenizer.TokenId("\u2581")!.Value,
            tokenizer.TokenId("<0xF0>")!.Value, tokenizer.TokenId("<0x9F>")!.Value, tokenizer.TokenId("<0xA6>")!.Value, tokenizer.TokenId("<0x8A>")!.Value], ids);
        Assert.Equal(1, tokenizer.LeadingSpacesToStrip);
        Assert.Equal(0, Load(LlamaStyleFixtures.PathOf("gemma")).LeadingSpacesToStrip);
    }

    [Fact]
    public void Byte_fallback_tokens_of_one_character_stream_as_one_character()
    {
        var tokenizer = Load(LlamaStyleFixtures.PathOf("metaspace-first"));
        var ids = tokenizer.Encode("日🦊é", addBos: false);
        var detok = new StreamingDetokenizer(tokenizer);
        var pieces = ids.Select(detok.Append).ToList();

        // "▁" (the stripped dummy prefix), 3 bytes of 日, 4 of 🦊, 2 of é.
        Assert.Equal(["", "", "", "日", "", "", "", "🦊", "", "é"], pieces);
        Assert.Equal(string.Empty, detok.Flush());
    }

    [Fact]
    public void Only_the_very_first_space_of_a_stream_is_stripped()
    {
        var tokenizer = Load(LlamaStyleFixtures.PathOf("llama-legacy"));
        var detok = new StreamingDetokenizer(tokenizer);
        var hello = tokenizer.TokenId("\u2581hello")!.Value;
        var end = tokenizer.TokenId("<|end|>")!.Value;

        // A special token first does not use up the strip; the first real token loses its space, later ones keep theirs.
        Assert.Equal(["", "hello", "", " hello", " hello"], new[] { end, hello, end, hello, hello }.Select(detok.Append));
        Assert.Equal("hello hello", tokenizer.Decode([hello, hello]));
    }

    [Fact]
    public void Metaspace_split_keeps_merges_within_words_as_tokenizers_does()
    {
        // transformers.js ignores Metaspace "split" (its fixtures cannot tell), so this case follows Hugging Face
        // tokenizers: with split the replacement starts a new word and no merge crosses it.
        var dir = Path.Combine(Path.GetTempPath(), "agents-sp-split-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            JsonNode Write(bool split)
            {
                return new JsonObject
                {
                    ["added_tokens"] = new JsonArray(),
                    ["normalizer"] = null,
                    ["pre_tokenizer"] = new JsonObject { ["type"] = "Metaspace", ["replacement"] = "\u2581", ["prepend_scheme"] = "never", ["split"] = split },
                    ["decoder"] = new JsonObject { ["type"] = "Metaspace", ["replacement"] = "\u2581", ["prepend_scheme"] = "never" },
                    ["model"] = new JsonObject
                    {
                        ["type"] = "BPE",
                        ["unk_token"] = "<unk>",
                        ["byte_fallback"] = false,
                        ["vocab"] = new JsonObject { ["<unk>"] = 0, ["\u2581"] = 1, ["a"] = 2, ["b"] = 3, ["a\u2581"] = 4, ["\u2581b"] = 5 },
                        ["merges"] = new JsonArray("a \u2581", "\u2581 b"),
                    },
                };
            }

            var noSplit = Path.Combine(dir, "nosplit.json");
            var split = Path.Combine(dir, "split.json");
            File.WriteAllText(noSplit, Write(false).ToJsonString());
            File.WriteAllText(split, Write(true).ToJsonString());
            Assert.Equal([4, 3], Load(noSplit).Encode("a b", addBos: false));
            Assert.Equal([2, 5], Load(split).Encode("a b", addBos: false));
            Assert.Equal("a b", Load(split).Decode([2, 5]));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Unknown_characters_without_byte_fallback_become_one_fused_unk()
    {
        var dir = Path.Combine(Path.GetTempPath(), "agents-sp-unk-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            var json = LlamaStyleFixtures.Json("metaspace-first");
            json["model"]!["byte_fallback"] = false;
            var path = Path.Combine(dir, "tokenizer.json");
            File.WriteAllText(path, json.ToJsonString());
            var fused = Load(path);
            var unk = fused.TokenId("<unk>")!.Value;
            Assert.Equal([fused.TokenId("\u2581")!.Value, unk, fused.TokenId("\u2581the")!.Value], fused.Encode("日本 the", addBos: false));

            json["model"]!["fuse_unk"] = false;
            File.WriteAllText(path, json.ToJsonString());
            Assert.Equal(2, Load(path).Encode("日本", addBos: false).Count(id => id == unk));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Bos_comes_from_the_post_processor_when_tokenizer_config_does_not_say()
    {
        var tokenizer = Load(LlamaStyleFixtures.PathOf("llama-legacy"));
        Assert.Equal(tokenizer.TokenId("<s>"), tokenizer.BosId);
        Assert.Equal([tokenizer.TokenId("<s>")!.Value, tokenizer.TokenId("\u2581hello")!.Value], tokenizer.Encode("hello", addBos: true));
        Assert.Equal([tokenizer.TokenId("\u2581hello")!.Value], tokenizer.Encode("hello", addBos: false));
    }

    [Fact]
    public void The_tokenizer_model_path_agrees_with_the_tokenizer_json_encoder()
    {
        var dir = Path.Combine(Path.GetTempPath(), "agents-sp-model-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            var modelPath = Path.Combine(dir, "tokenizer.model");
            SentencePieceModelWriter.Write(modelPath);
            File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"),
                new JsonObject { ["add_bos_token"] = true, ["bos_token"] = "<s>", ["added_tokens_decoder"] = LlamaStyleFixtures.AddedTokensDecoder() }.ToJsonString());
            var sentencePiece = Load(modelPath, dir);
            var json = Load(LlamaStyleFixtures.PathOf("llama-legacy"));

            // Texts without added tokens: SentencePiece (add_dummy_prefix, byte fallback, merges by piece score) and the
            // legacy tokenizer.json are the same tokenizer. Around added tokens they differ by design: the legacy
            // tokenizer.json prepends "▁" to every piece between added tokens and honours rstrip, while
            // Microsoft.ML.Tokenizers adds the dummy prefix only to the first run of text and keeps that whitespace.
            foreach (var (text, _, _) in Expected("llama-legacy").Where(e => !e.Text.Contains('<', StringComparison.Ordinal)))
            {
                var ids = json.Encode(text, addBos: false);
                Assert.Equal($"{text}: {string.Join(' ', ids)}", $"{text}: {string.Join(' ', sentencePiece.Encode(text, addBos: false))}");
                Assert.Equal(json.Decode(ids), sentencePiece.Decode(ids));
            }

            Assert.Equal(json.Size, sentencePiece.Size);
            Assert.Equal(1, sentencePiece.LeadingSpacesToStrip);
            Assert.Equal(json.TokenId("<s>"), sentencePiece.BosId);
            Assert.Equal(json.TokenId("<s>"), sentencePiece.Encode("hello", addBos: true)[0]);

            // Added tokens from tokenizer_config.json are single ids and decode to nothing (special).
            var user = json.TokenId("<|user|>")!.Value;
            Assert.Equal(user, sentencePiece.Encode("<|user|>hello", addBos: false)[0]);
            Assert.Equal("hello", sentencePiece.Decode(sentencePiece.Encode("<|user|>hello", addBos: false)));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Encoding_a_long_text_is_the_concatenation_of_its_words()
    {
        // One word per space-separated piece (no merges across "▁" in the fixture vocabulary), so a long input
        // (thousands of symbols in one BPE word for the legacy form) must equal the per-word encodings.
        var tokenizer = Load(LlamaStyleFixtures.PathOf("llama-legacy"));
        var words = Enumerable.Range(0, 600).Select(i => (i % 4) switch { 0 => "hello", 1 => "world", 2 => "tokenizer", _ => "日本" }).ToList();
        var expected = words.SelectMany(w => tokenizer.Encode(w, addBos: false)).ToList();
        Assert.Equal(expected, tokenizer.Encode(string.Join(' ', words), addBos: false));
        Assert.Equal(string.Join(' ', words), tokenizer.Decode(expected));
        Assert.True(Encoding.UTF8.GetByteCount(string.Join(' ', words)) > expected.Count);
    }
}
