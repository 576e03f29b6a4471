using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Agents.LocalEngine.Tokenization;

/// <summary>
/// Reads a Hugging Face tokenizer.json with a BPE model: byte-level (ByteLevel pre-tokenizer: GPT-2, Qwen, Llama-3) or
/// SentencePiece-style (Metaspace or Prepend/Replace "▁", byte fallback: Llama-2, Mistral, Phi-3, Gemma).
/// </summary>
internal static class TokenizerJsonLoader
{
    private const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    public static TokenizerParts Load(string path)
    {
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            root = doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new LocalModelLoadException(path, $"invalid JSON ({ex.Message}).", ex);
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("model", out var m) || m.ValueKind != JsonValueKind.Object)
        {
            throw new LocalModelLoadException(path, "\"model\" is missing.", null);
        }

        var type = m.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type != "BPE")
        {
            throw new LocalModelLoadException(path, $"tokenizer model type '{type}' is not supported; only BPE tokenizers are (byte-level or SentencePiece-style).", null);
        }

        var vocab = ReadVocab(m, path);
        var merges = ReadMerges(m, path);
        var added = ReadAddedTokens(root, path);
        var bos = PostProcessorBos(root);
        var byteLevelPattern = FindByteLevelPattern(root);
        return byteLevelPattern is not null
            ? LoadByteLevel(path, vocab, merges, added, byteLevelPattern, bos)
            : LoadSentencePieceStyle(path, root, m, vocab, merges, added, bos);
    }

    private static TokenizerParts LoadByteLevel(string path, Dictionary<string, int> vocab, List<(string Left, string Right)> merges,
        List<AddedToken> added, string pattern, string? bos)
    {
        var addedIds = added.ToDictionary(a => a.Content, a => a.Id, StringComparer.Ordinal);
        BpeTokenizer bpe;
        try
        {
            var options = new BpeOptions(vocab.Where(kv => !addedIds.ContainsKey(kv.Key)))
            {
                Merges = merges.Select(x => $"{x.Left} {x.Right}"),
                ByteLevel = true,
                SpecialTokens = addedIds,
                PreTokenizer = new RegexPreTokenizer(new Regex(pattern, RegexOptions.Compiled), addedIds),
            };
            bpe = BpeTokenizer.Create(options);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException)
        {
            throw new LocalModelLoadException(path, $"the BPE vocabulary or merges are invalid ({ex.Message}).", ex);
        }

        var (all, special, table) = Table(vocab, added);
        var charToByte = CharToByte();
        foreach (var (token, id) in all)
        {
            if (addedIds.ContainsKey(token))
            {
                table[id] = special.Contains(id) ? [] : Encoding.UTF8.GetBytes(token);
                continue;
            }

            var bytes = new byte[token.Length];
            var ok = true;
            for (var i = 0; i < token.Length; i++)
            {
                var c = token[i];
                if (c >= charToByte.Length || charToByte[c] < 0)
                {
                    ok = false;
                    break;
                }

                bytes[i] = (byte)charToByte[c];
            }

            table[id] = ok ? bytes : Encoding.UTF8.GetBytes(token);
        }

        return new TokenizerParts(new ByteLevelBpeEncoder(bpe), Fill(table), all, special, 0, bos);
    }

    private static TokenizerParts LoadSentencePieceStyle(string path, JsonElement root, JsonElement m, Dictionary<string, int> vocab,
        List<(string Left, string Right)> merges, List<AddedToken> added, string? bos)
    {
        if (m.TryGetProperty("continuing_subword_prefix", out var csp) && csp.ValueKind == JsonValueKind.String && csp.GetString()!.Length > 0)
        {
            throw new LocalModelLoadException(path, "model.continuing_subword_prefix is not supported.", null);
        }

        if (m.TryGetProperty("end_of_word_suffix", out var eow) && eow.ValueKind == JsonValueKind.String && eow.GetString()!.Length > 0)
        {
            throw new LocalModelLoadException(path, "model.end_of_word_suffix is not supported.", null);
        }

        var options = new SentencePieceBpeEncoder.ModelOptions(
            m.TryGetProperty("unk_token", out var unk) && unk.ValueKind == JsonValueKind.String ? unk.GetString() : null,
            Flag(m, "fuse_unk"),
            Flag(m, "byte_fallback"),
            Flag(m, "ignore_merges"));

        var encoder = new SentencePieceBpeEncoder(vocab, merges, options, new AddedTokenSplitter(added),
            ReadNormalizer(root, path), ReadMetaspace(root, path), path);
        var decoding = ReadDecoder(root, path);
        var (all, special, table) = Table(vocab, added);
        foreach (var (token, id) in all)
        {
            table[id] = special.Contains(id) ? [] : decoding.BytesOf(token);
        }

        return new TokenizerParts(encoder, Fill(table), all, special, decoding.LeadingSpacesToStrip, bos);
    }

    private static Dictionary<string, int> ReadVocab(JsonElement m, string path)
    {
        if (!m.TryGetProperty("vocab", out var vocabEl) || vocabEl.ValueKind != JsonValueKind.Object)
        {
            throw new LocalModelLoadException(path, "model.vocab is missing.", null);
        }

        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var p in vocabEl.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetInt32(out var id) || id < 0)
            {
                throw new LocalModelLoadException(path, $"model.vocab['{p.Name}'] must be a non-negative integer id (was {p.Value.GetRawText()}).", null);
            }

            vocab[p.Name] = id;
        }

        return vocab;
    }

    private static List<(string Left, string Right)> ReadMerges(JsonElement m, string path)
    {
        var merges = new List<(string, string)>();
        if (!m.TryGetProperty("merges", out var mergesEl) || mergesEl.ValueKind != JsonValueKind.Array)
        {
            return merges;
        }

        foreach (var e in mergesEl.EnumerateArray())
        {
            if (e.ValueKind == JsonValueKind.Array && e.GetArrayLength() == 2
                && e[0].ValueKind == JsonValueKind.String && e[1].ValueKind == JsonValueKind.String)
            {
                merges.Add((e[0].GetString()!, e[1].GetString()!));
                continue;
            }

            var parts = e.ValueKind == JsonValueKind.String ? e.GetString()!.Split(' ') : [];
            if (parts.Length != 2)
            {
                throw new LocalModelLoadException(path, $"model.merges[{merges.Count}] must be \"left right\" or [\"left\", \"right\"] (was {e.GetRawText()}).", null);
            }

            merges.Add((parts[0], parts[1]));
        }

        return merges;
    }

    private static List<AddedToken> ReadAddedTokens(JsonElement root, string path)
    {
        var added = new List<AddedToken>();
        if (!root.TryGetProperty("added_tokens", out var addedEl) || addedEl.ValueKind != JsonValueKind.Array)
        {
            return added;
        }

        foreach (var e in addedEl.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Object
                || !e.TryGetProperty("id", out var id) || !id.TryGetInt32(out var idValue) || idValue < 0
                || !e.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String)
            {
                throw new LocalModelLoadException(path, $"added_tokens[{added.Count}] needs an integer \"id\" and a string \"content\" (was {e.GetRawText()}).", null);
            }

            added.Add(new AddedToken(idValue, content.GetString()!, Flag(e, "special"), Flag(e, "lstrip"), Flag(e, "rstrip")));
        }

        return added;
    }

    /// <summary>All tokens, the special ids and an empty bytes table sized for the largest id.</summary>
    private static (Dictionary<string, int> All, HashSet<int> Special, byte[][] Table) Table(Dictionary<string, int> vocab, List<AddedToken> added)
    {
        var all = new Dictionary<string, int>(vocab, StringComparer.Ordinal);
        var special = new HashSet<int>();
        foreach (var token in added)
        {
            all[token.Content] = token.Id;
            if (token.Special)
            {
                special.Add(token.Id);
            }
        }

        var size = all.Count == 0 ? 0 : all.Values.Max() + 1;
        return (all, special, new byte[size][]);
    }

    private static byte[][] Fill(byte[][] table)
    {
        for (var i = 0; i < table.Length; i++)
        {
            table[i] ??= [];
        }

        return table;
    }

    private static bool Flag(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string TypeOf(JsonElement e) => e.ValueKind == JsonValueKind.Object ? Text(e, "type") ?? "(none)" : e.ValueKind.ToString();

    /// <summary>The first token of TemplateProcessing's single-sequence template when it is a special token (Llama's &lt;s&gt;).</summary>
    private static string? PostProcessorBos(JsonElement root)
    {
        if (!root.TryGetProperty("post_processor", out var post) || post.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var template = TypeOf(post) switch
        {
            "TemplateProcessing" => post,
            "Sequence" when post.TryGetProperty("processors", out var list) && list.ValueKind == JsonValueKind.Array =>
                list.EnumerateArray().FirstOrDefault(p => TypeOf(p) == "TemplateProcessing"),
            _ => default,
        };
        return template.ValueKind == JsonValueKind.Object
            && template.TryGetProperty("single", out var single) && single.ValueKind == JsonValueKind.Array && single.GetArrayLength() > 0
            && single[0].TryGetProperty("SpecialToken", out var first) && first.ValueKind == JsonValueKind.Object
                ? Text(first, "id")
                : null;
    }

    /// <summary>The split pattern of a ByteLevel pre-tokenizer, or null when the pre-tokenizer is not byte-level.</summary>
    private static string? FindByteLevelPattern(JsonElement root)
    {
        if (!root.TryGetProperty("pre_tokenizer", out var pre) || pre.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        string? split = null;
        var byteLevel = false;
        foreach (var e in Flatten(pre, "pretokenizers"))
        {
            switch (TypeOf(e))
            {
                case "ByteLevel":
                    byteLevel = true;
                    if (!e.TryGetProperty("use_regex", out var r) || r.ValueKind == JsonValueKind.True)
                    {
                        split ??= Gpt2Pattern;
                    }

                    break;
                case "Split":
                    if (e.TryGetProperty("pattern", out var p) && p.TryGetProperty("Regex", out var rx))
                    {
                        split ??= rx.GetString();
                    }

                    break;
                default:
                    break;
            }
        }

        return byteLevel ? split ?? Gpt2Pattern : null;
    }

    private static TextNormalizer ReadNormalizer(JsonElement root, string path)
    {
        if (!root.TryGetProperty("normalizer", out var normalizer) || normalizer.ValueKind == JsonValueKind.Null)
        {
            return TextNormalizer.None;
        }

        var steps = new List<TextNormalizer.Step>();
        foreach (var e in Flatten(normalizer, "normalizers"))
        {
            var type = TypeOf(e);
            switch (type)
            {
                case "Prepend":
                    steps.Add(new(TextNormalizer.StepKind.Prepend, Text(e, "prepend") ?? throw Bad(path, "normalizer Prepend has no \"prepend\" string."), "", default));
                    break;
                case "Replace":
                    steps.Add(new(TextNormalizer.StepKind.Replace, ReplacePattern(e, "normalizer", path), Text(e, "content") ?? "", default));
                    break;
                case "NFC" or "NFD" or "NFKC" or "NFKD":
                    var form = type switch
                    {
                        "NFC" => NormalizationForm.FormC,
                        "NFD" => NormalizationForm.FormD,
                        "NFKC" => NormalizationForm.FormKC,
                        _ => NormalizationForm.FormKD,
                    };
                    steps.Add(new(TextNormalizer.StepKind.Unicode, "", "", form));
                    break;
                default:
                    throw Bad(path, $"the normalizer type '{type}' is not supported for a SentencePiece-style BPE (supported: Sequence, Prepend, Replace, NFC, NFD, NFKC, NFKD).");
            }
        }

        return new TextNormalizer(steps);
    }

    private static MetaspaceSettings? ReadMetaspace(JsonElement root, string path)
    {
        if (!root.TryGetProperty("pre_tokenizer", out var pre) || pre.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        // A Sequence holding only a Metaspace is the same as the Metaspace.
        if (TypeOf(pre) == "Sequence" && pre.TryGetProperty("pretokenizers", out var list) && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() == 1)
        {
            pre = list[0];
        }

        var type = TypeOf(pre);
        if (type != "Metaspace")
        {
            throw Bad(path, $"the pre_tokenizer type '{type}' is not supported for a SentencePiece-style BPE (supported: Metaspace, or none); byte-level tokenizers need a ByteLevel pre_tokenizer.");
        }

        return new MetaspaceSettings(Replacement(pre, "pre_tokenizer", path), Scheme(pre, path),
            !pre.TryGetProperty("split", out var split) || split.ValueKind != JsonValueKind.False);
    }

    private static PieceDecoding ReadDecoder(JsonElement root, string path)
    {
        var replacements = new List<(string, string)>();
        var byteFallback = false;
        var strip = 0;
        if (!root.TryGetProperty("decoder", out var decoder) || decoder.ValueKind == JsonValueKind.Null)
        {
            return new PieceDecoding(replacements, byteFallback, strip);
        }

        foreach (var e in Flatten(decoder, "decoders"))
        {
            var type = TypeOf(e);
            switch (type)
            {
                case "Replace":
                    replacements.Add((ReplacePattern(e, "decoder", path), Text(e, "content") ?? ""));
                    break;
                case "ByteFallback":
                    byteFallback = true;
                    break;
                case "Fuse":
                    break;
                case "Strip":
                    if (Text(e, "content") != " " || (e.TryGetProperty("stop", out var stop) && stop.ValueKind == JsonValueKind.Number && stop.GetInt32() != 0))
                    {
                        throw Bad(path, "decoder Strip is supported only for leading spaces (content \" \", stop 0).");
                    }

                    strip += e.TryGetProperty("start", out var start) && start.ValueKind == JsonValueKind.Number ? start.GetInt32() : 0;
                    break;
                case "Metaspace":
                    // The Metaspace decoder turns the replacement into spaces and drops the one it prepended at the start
                    // (tokenizers drops every replacement in the first token; that differs only for a first token made of several).
                    replacements.Add((Replacement(e, "decoder", path).ToString(), " "));
                    strip += Scheme(e, path) == PrependScheme.Never ? 0 : 1;
                    break;
                default:
                    throw Bad(path, $"the decoder type '{type}' is not supported for a SentencePiece-style BPE (supported: Sequence, Replace, ByteFallback, Fuse, Strip, Metaspace).");
            }
        }

        return new PieceDecoding(replacements, byteFallback, strip);
    }

    private static string ReplacePattern(JsonElement e, string section, string path)
    {
        if (e.TryGetProperty("pattern", out var pattern) && pattern.ValueKind == JsonValueKind.Object
            && pattern.TryGetProperty("String", out var s) && s.ValueKind == JsonValueKind.String && s.GetString()!.Length > 0)
        {
            return s.GetString()!;
        }

        throw Bad(path, $"{section} Replace is supported only with a non-empty \"String\" pattern (was {(e.TryGetProperty("pattern", out var p) ? p.GetRawText() : "missing")}).");
    }

    private static char Replacement(JsonElement e, string section, string path)
    {
        var replacement = Text(e, "replacement") ?? "\u2581";
        return replacement.Length == 1 ? replacement[0] : throw Bad(path, $"{section} Metaspace replacement must be one character (was '{replacement}').");
    }

    private static PrependScheme Scheme(JsonElement e, string path) => Text(e, "prepend_scheme") switch
    {
        "first" => PrependScheme.First,
        "always" => PrependScheme.Always,
        "never" => PrependScheme.Never,

        // Files older than prepend_scheme say add_prefix_space (default true).
        null => e.TryGetProperty("add_prefix_space", out var a) && a.ValueKind == JsonValueKind.False ? PrependScheme.Never : PrependScheme.Always,
        var other => throw Bad(path, $"Metaspace prepend_scheme '{other}' is not one of first, always, never."),
    };

    private static LocalModelLoadException Bad(string path, string message) => new(path, message, null);

    /// <summary>
    /// The steps of a normalizer, pre-tokenizer or decoder in order: nested Sequences (their steps listed under
    /// <paramref name="listProperty"/>) are flattened; anything else, a malformed Sequence included, is a step itself.
    /// </summary>
    private static IEnumerable<JsonElement> Flatten(JsonElement e, string listProperty)
    {
        if (TypeOf(e) == "Sequence" && e.TryGetProperty(listProperty, out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var child in list.EnumerateArray())
            {
                foreach (var step in Flatten(child, listProperty))
                {
                    yield return step;
                }
            }

            yield break;
        }

        yield return e;
    }

    private static int[] CharToByte()
    {
        var map = new int[512];
        Array.Fill(map, -1);
        var n = 0;
        for (var b = 0; b < 256; b++)
        {
            var printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[printable ? b : 256 + n++] = b;
        }

        return map;
    }
}
