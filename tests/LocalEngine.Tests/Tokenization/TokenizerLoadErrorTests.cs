namespace Agents.LocalEngine.Tests.Tokenization;

/// <summary>Malformed or unsupported tokenizer files are load errors naming the file and the problem.</summary>
[Collection(ModelCollection.Name)]
public sealed class TokenizerLoadErrorTests(ModelFixture models)
{
    public static TheoryData<string, string> BrokenFiles => new()
    {
        { "no-vocab", "model.vocab is missing" },
        { "vocab-not-an-id", "model.vocab['a'] must be a non-negative integer id" },
        { "merge-unknown-token", "model.merges[0] needs 'zz', which is not in model.vocab" },
        { "merge-result-unknown", "model.merges[0] needs 'qz', which is not in model.vocab" },
        { "merge-three-parts", "model.merges[1] must be \"left right\"" },
        { "unk-not-in-vocab", "model.unk_token '<nope>' is not in model.vocab" },
        { "normalizer-type", "the normalizer type 'BertNormalizer' is not supported" },
        { "normalizer-regex", "normalizer Replace is supported only with a non-empty \"String\" pattern" },
        { "pre-tokenizer-type", "the pre_tokenizer type 'Whitespace' is not supported" },
        { "decoder-type", "the decoder type 'WordPiece' is not supported" },
        { "decoder-strip-stop", "decoder Strip is supported only for leading spaces" },
        { "prepend-scheme", "Metaspace prepend_scheme 'sometimes' is not one of first, always, never" },
        { "added-token-without-id", "added_tokens[0] needs an integer \"id\"" },
        { "subword-prefix", "model.continuing_subword_prefix is not supported" },
    };

    private static void Break(JsonNode json, string how)
    {
        var model = json["model"]!;
        switch (how)
        {
            case "no-vocab":
                model.AsObject().Remove("vocab");
                break;
            case "vocab-not-an-id":
                model["vocab"]!["a"] = "one";
                break;
            case "merge-unknown-token":
                model["merges"]!.AsArray().Insert(0, "zz a");
                break;
            case "merge-result-unknown":
                // Both halves exist but their concatenation does not.
                model["merges"]!.AsArray().Insert(0, "q z");
                break;
            case "merge-three-parts":
                model["merges"]!.AsArray().Insert(1, "a b c");
                break;
            case "unk-not-in-vocab":
                model["unk_token"] = "<nope>";
                break;
            case "normalizer-type":
                json["normalizer"] = new JsonObject { ["type"] = "BertNormalizer" };
                break;
            case "normalizer-regex":
                json["normalizer"] = new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["Regex"] = " +" }, ["content"] = "\u2581" };
                break;
            case "pre-tokenizer-type":
                json["pre_tokenizer"] = new JsonObject { ["type"] = "Whitespace" };
                break;
            case "decoder-type":
                json["decoder"] = new JsonObject { ["type"] = "WordPiece" };
                break;
            case "decoder-strip-stop":
                json["decoder"] = new JsonObject { ["type"] = "Strip", ["content"] = " ", ["start"] = 1, ["stop"] = 1 };
                break;
            case "prepend-scheme":
                json["pre_tokenizer"]!["prepend_scheme"] = "sometimes";
                break;
            case "added-token-without-id":
                json["added_tokens"]![0]!.AsObject().Remove("id");
                break;
            case "subword-prefix":
                model["continuing_subword_prefix"] = "##";
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(how), how, null);
        }
    }

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void A_broken_sentencepiece_style_tokenizer_json_names_the_file_and_the_problem(string how, string expected)
    {
        var dir = models.NewDirectory("broken-" + how);
        var json = LlamaStyleFixtures.Json("metaspace-first");
        Break(json, how);
        var path = Path.Combine(dir, "tokenizer.json");
        File.WriteAllText(path, json.ToJsonString());
        var ex = Assert.Throws<LocalModelLoadException>(() => SentencePieceTokenizerTests.Load(path));
        Assert.Equal(path, ex.FilePath);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_fixture_itself_loads()
    {
        // The broken files above differ from this one only by the change named.
        Assert.True(SentencePieceTokenizerTests.Load(LlamaStyleFixtures.PathOf("metaspace-first")).Size > 400);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_llama_style_tokenizer_larger_than_the_model_vocabulary_is_rejected(bool sentencePieceModel)
    {
        // 462 tokens against a 400-entry vocabulary.
        var dir = models.NewDirectory("phi3-small-vocab");
        TestModelFactory.Create(dir, family: TestFamily.Phi3, spec: new TinyLlamaSpec { VocabSize = 400 });
        var path = Path.Combine(dir, "tokenizer.json");
        if (sentencePieceModel)
        {
            File.Delete(path);
            path = Path.Combine(dir, "tokenizer.model");
            SentencePieceModelWriter.Write(path);
        }

        LoadError.Expect(dir, path, "does not belong to this model");
    }

    [Fact]
    public void A_corrupt_tokenizer_model_names_the_file()
    {
        var dir = models.NewDirectory("phi3-bad-model");
        TestModelFactory.Create(dir, family: TestFamily.Phi3);
        File.Delete(Path.Combine(dir, "tokenizer.json"));
        var path = Path.Combine(dir, "tokenizer.model");
        File.WriteAllBytes(path, [0x0A, 0xFF, 0xFF, 0x01, 0x02, 0x03]);
        LoadError.Expect(dir, path, "not a usable SentencePiece model");
    }

    [Fact]
    public void A_folder_without_any_tokenizer_names_tokenizer_json_and_tokenizer_model()
    {
        var dir = models.NewDirectory("phi3-no-tokenizer");
        TestModelFactory.Create(dir, family: TestFamily.Phi3);
        File.Delete(Path.Combine(dir, "tokenizer.json"));
        LoadError.Expect(dir, Path.Combine(dir, "tokenizer.json"), "tokenizer.model");
    }
}
