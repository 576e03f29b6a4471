using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace Agents.LocalEngine.Tokenization;

/// <summary>
/// Reads a SentencePiece tokenizer.model (folders without tokenizer.json): Microsoft.ML.Tokenizers encodes; tokens decode
/// by the same byte rules as a SentencePiece-style tokenizer.json ("▁" → space, <c>&lt;0xXX&gt;</c> → that byte, the dummy
/// prefix space stripped once). Added tokens come from tokenizer_config.json added_tokens_decoder.
/// </summary>
internal static class SentencePieceModelLoader
{
    public static TokenizerParts Load(string path, string directory)
    {
        var added = ReadConfigAddedTokens(Path.Combine(directory, "tokenizer_config.json"));
        var bytes = File.ReadAllBytes(path);
        SentencePieceTokenizer sp;
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            sp = SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false,
                added.Count == 0 ? null : added.ToDictionary(a => a.Content, a => a.Id, StringComparer.Ordinal));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Protobuf parse errors (an IOException), unsupported model types and bad specs alike.
            throw new LocalModelLoadException(path, $"not a usable SentencePiece model ({ex.Message}).", ex);
        }

        var all = new Dictionary<string, int>(sp.Vocabulary, StringComparer.Ordinal);
        var special = new HashSet<int>();
        foreach (var id in new[] { sp.BeginningOfSentenceId, sp.EndOfSentenceId, sp.UnknownId })
        {
            if (id >= 0)
            {
                special.Add(id);
            }
        }

        foreach (var token in added)
        {
            all[token.Content] = token.Id;
            if (token.Special)
            {
                special.Add(token.Id);
            }
        }

        var table = new byte[all.Count == 0 ? 0 : all.Values.Max() + 1][];
        foreach (var (piece, id) in all)
        {
            table[id] = special.Contains(id) ? [] : PieceBytes(piece, sp.ByteFallback);
        }

        for (var i = 0; i < table.Length; i++)
        {
            table[i] ??= [];
        }

        return new TokenizerParts(new SentencePieceModelEncoder(sp), table, all, special, sp.AddDummyPrefix ? 1 : 0,
            sp.BeginningOfSentenceId >= 0 ? sp.BeginningOfSentenceToken : null);
    }

    private static byte[] PieceBytes(string piece, bool byteFallback)
    {
        if (byteFallback && piece.Length == 6 && piece.StartsWith("<0x", StringComparison.Ordinal) && piece[5] == '>'
            && byte.TryParse(piece.AsSpan(3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
        {
            return [b];
        }

        return Encoding.UTF8.GetBytes(piece.Replace('\u2581', ' '));
    }

    private static List<AddedToken> ReadConfigAddedTokens(string configPath)
    {
        var added = new List<AddedToken>();
        if (!File.Exists(configPath))
        {
            return added;
        }

        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(configPath), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            root = doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new LocalModelLoadException(configPath, $"invalid JSON ({ex.Message}).", ex);
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("added_tokens_decoder", out var decoder) || decoder.ValueKind != JsonValueKind.Object)
        {
            return added;
        }

        foreach (var entry in decoder.EnumerateObject())
        {
            if (!int.TryParse(entry.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                || entry.Value.ValueKind != JsonValueKind.Object
                || !entry.Value.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String)
            {
                throw new LocalModelLoadException(configPath, $"added_tokens_decoder['{entry.Name}'] needs an integer id as its key and a string \"content\".", null);
            }

            added.Add(new AddedToken(id, content.GetString()!, Flag(entry.Value, "special"), Flag(entry.Value, "lstrip"), Flag(entry.Value, "rstrip")));
        }

        return added;
    }

    private static bool Flag(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
}
