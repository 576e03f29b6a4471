using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Agents.LocalEngine.Loading;
using Microsoft.ML.Tokenizers;

namespace Agents.LocalEngine.Tokenization;

/// <summary>
/// A byte-level BPE tokenizer read from a Hugging Face tokenizer.json (Microsoft.ML.Tokenizers encodes; decoding maps
/// tokens back to bytes here so that streaming never splits a UTF-8 character).
/// </summary>
internal sealed class LocalTokenizer
{
    private const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private readonly BpeTokenizer _bpe;
    private readonly byte[][] _bytes;
    private readonly Dictionary<string, int> _tokenToId;
    private readonly string[] _idToToken;

    private LocalTokenizer(BpeTokenizer bpe, byte[][] bytes, Dictionary<string, int> tokenToId, HashSet<int> special)
    {
        _bpe = bpe;
        _bytes = bytes;
        _tokenToId = tokenToId;
        _idToToken = new string[bytes.Length];
        foreach (var (token, id) in tokenToId)
        {
            _idToToken[id] = token;
        }

        SpecialIds = special;
    }

    /// <summary>Gets one more than the largest token id.</summary>
    public int Size => _bytes.Length;

    /// <summary>Gets the ids of added tokens marked special (left out of decoded text).</summary>
    public IReadOnlySet<int> SpecialIds { get; }

    public int? BosId { get; private set; }

    public bool AddBos { get; private set; }

    public int? TokenId(string token) => _tokenToId.TryGetValue(token, out var id) ? id : null;

    public static LocalTokenizer Load(ModelDescriptor model)
    {
        var path = model.TokenizerPath;
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
            throw new LocalModelLoadException(path, $"tokenizer model type '{type}' is not supported; only byte-level BPE tokenizers are.", null);
        }

        var pattern = FindByteLevelPattern(root, path);
        if (!m.TryGetProperty("vocab", out var vocabEl) || vocabEl.ValueKind != JsonValueKind.Object)
        {
            throw new LocalModelLoadException(path, "model.vocab is missing.", null);
        }

        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var p in vocabEl.EnumerateObject())
        {
            vocab[p.Name] = p.Value.GetInt32();
        }

        var merges = new List<string>();
        if (m.TryGetProperty("merges", out var mergesEl) && mergesEl.ValueKind == JsonValueKind.Array)
        {
            foreach (var e in mergesEl.EnumerateArray())
            {
                merges.Add(e.ValueKind == JsonValueKind.Array ? $"{e[0].GetString()} {e[1].GetString()}" : e.GetString()!);
            }
        }

        var added = new Dictionary<string, int>(StringComparer.Ordinal);
        var special = new HashSet<int>();
        if (root.TryGetProperty("added_tokens", out var addedEl) && addedEl.ValueKind == JsonValueKind.Array)
        {
            foreach (var e in addedEl.EnumerateArray())
            {
                var id = e.GetProperty("id").GetInt32();
                var content = e.GetProperty("content").GetString()!;
                added[content] = id;
                if (e.TryGetProperty("special", out var s) && s.ValueKind == JsonValueKind.True)
                {
                    special.Add(id);
                }
            }
        }

        BpeTokenizer bpe;
        try
        {
            var options = new BpeOptions(vocab.Where(kv => !added.ContainsKey(kv.Key)))
            {
                Merges = merges,
                ByteLevel = true,
                SpecialTokens = added,
                PreTokenizer = new RegexPreTokenizer(new Regex(pattern, RegexOptions.Compiled), added),
            };
            bpe = BpeTokenizer.Create(options);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException)
        {
            throw new LocalModelLoadException(path, $"the BPE vocabulary or merges are invalid ({ex.Message}).", ex);
        }

        var all = new Dictionary<string, int>(vocab, StringComparer.Ordinal);
        foreach (var (k, v) in added)
        {
            all[k] = v;
        }

        var size = all.Count == 0 ? 0 : all.Values.Max() + 1;
        var table = new byte[size][];
        var charToByte = CharToByte();
        foreach (var (token, id) in all)
        {
            if (added.ContainsKey(token))
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

        for (var i = 0; i < table.Length; i++)
        {
            table[i] ??= [];
        }

        var tokenizer = new LocalTokenizer(bpe, table, all, special);
        tokenizer.BosId = model.BosToken is { } bosText && all.TryGetValue(bosText, out var bosId) ? bosId : model.BosTokenId;
        tokenizer.AddBos = model.AddBosToken == true && tokenizer.BosId is not null;
        return tokenizer;
    }

    /// <summary>Encodes text; special tokens written as text (for example <c>&lt;|im_start|&gt;</c>) become their ids.</summary>
    public List<int> Encode(string text, bool addBos)
    {
        var ids = new List<int>(text.Length / 3 + 2);
        if (addBos && AddBos && BosId is { } bos && !text.StartsWith(TokenText(bos), StringComparison.Ordinal))
        {
            ids.Add(bos);
        }

        ids.AddRange(_bpe.EncodeToIds(text));
        return ids;
    }

    /// <summary>Gets the UTF-8 bytes a token stands for (empty for special tokens).</summary>
    public ReadOnlySpan<byte> TokenBytes(int id) => (uint)id < (uint)_bytes.Length ? _bytes[id] : [];

    /// <summary>Gets a token's vocabulary string (byte-level characters for BPE tokens, the text for added tokens).</summary>
    public string TokenText(int id) => (uint)id < (uint)_idToToken.Length ? _idToToken[id] ?? string.Empty : string.Empty;

    public string Decode(IEnumerable<int> ids)
    {
        var bytes = new List<byte>();
        foreach (var id in ids)
        {
            bytes.AddRange(TokenBytes(id).ToArray());
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static string FindByteLevelPattern(JsonElement root, string path)
    {
        if (!root.TryGetProperty("pre_tokenizer", out var pre) || pre.ValueKind != JsonValueKind.Object)
        {
            throw new LocalModelLoadException(path, "pre_tokenizer is missing; only byte-level BPE tokenizers are supported.", null);
        }

        string? split = null;
        var byteLevel = false;
        void Visit(JsonElement e)
        {
            switch (e.TryGetProperty("type", out var t) ? t.GetString() : null)
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
                case "Sequence":
                    foreach (var child in e.GetProperty("pretokenizers").EnumerateArray())
                    {
                        Visit(child);
                    }

                    break;
                default:
                    break;
            }
        }

        Visit(pre);
        if (!byteLevel)
        {
            throw new LocalModelLoadException(path, "the pre_tokenizer is not ByteLevel; only byte-level BPE tokenizers are supported (SentencePiece-style tokenizer.json files are not).", null);
        }

        return split ?? Gpt2Pattern;
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
