using System.Text.Json.Nodes;

namespace Agents.LocalEngine.Tests.TestModels;

/// <summary>
/// The Llama-style (SentencePiece BPE with byte fallback) tokenizer.json fixtures in Tokenization/Fixtures, written by
/// generate-expected.mjs (Tokenization/SentencePieceModelWriter writes a tokenizer.model for the same vocabulary).
/// </summary>
public static class LlamaStyleFixtures
{
    public static readonly string[] Forms = ["llama-legacy", "metaspace-first", "metaspace-always", "gemma"];

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Tokenization", "Fixtures");

    public static string PathOf(string form) => Path.Combine(Folder, form + ".json");

    public static JsonNode Json(string form) => JsonNode.Parse(File.ReadAllText(PathOf(form)))!;

    /// <summary>tokenizer_config.json added_tokens_decoder for the fixture's added tokens (what a folder with only tokenizer.model has).</summary>
    public static JsonObject AddedTokensDecoder()
    {
        var decoder = new JsonObject();
        foreach (var token in Json("llama-legacy")["added_tokens"]!.AsArray())
        {
            var entry = token!.DeepClone().AsObject();
            var id = (int)entry["id"]!;
            entry.Remove("id");
            decoder[id.ToString(System.Globalization.CultureInfo.InvariantCulture)] = entry;
        }

        return decoder;
    }
}
