using System.Text;
using Agents.LocalEngine.Loading;

namespace Agents.LocalEngine.Tokenization;

/// <summary>
/// The model folder's tokenizer: a Hugging Face tokenizer.json (byte-level BPE, or SentencePiece-style BPE with byte
/// fallback) or a SentencePiece tokenizer.model. Decoding maps tokens back to bytes here so that streaming never splits
/// a UTF-8 character.
/// </summary>
internal sealed class LocalTokenizer
{
    private readonly ITokenEncoder _encoder;
    private readonly byte[][] _bytes;
    private readonly Dictionary<string, int> _tokenToId;
    private readonly string[] _idToToken;

    private LocalTokenizer(TokenizerParts parts)
    {
        _encoder = parts.Encoder;
        _bytes = parts.Bytes;
        _tokenToId = parts.TokenToId;
        _idToToken = new string[_bytes.Length];
        foreach (var (token, id) in _tokenToId)
        {
            _idToToken[id] = token;
        }

        SpecialIds = parts.SpecialIds;
        LeadingSpacesToStrip = parts.LeadingSpacesToStrip;
    }

    /// <summary>Gets one more than the largest token id.</summary>
    public int Size => _bytes.Length;

    /// <summary>Gets the ids of added tokens marked special (left out of decoded text).</summary>
    public IReadOnlySet<int> SpecialIds { get; }

    /// <summary>Gets how many leading spaces decoding strips from the start of a sequence (the SentencePiece dummy prefix; 0 for byte-level BPE).</summary>
    public int LeadingSpacesToStrip { get; }

    public int? BosId { get; private set; }

    public bool AddBos { get; private set; }

    public int? TokenId(string token) => _tokenToId.TryGetValue(token, out var id) ? id : null;

    /// <summary>Loads <see cref="ModelDescriptor.TokenizerPath"/> (tokenizer.json, or tokenizer.model when the folder has no tokenizer.json).</summary>
    public static LocalTokenizer Load(ModelDescriptor model)
    {
        var path = model.TokenizerPath;
        var parts = path.EndsWith(".model", StringComparison.OrdinalIgnoreCase)
            ? SentencePieceModelLoader.Load(path, model.Directory)
            : TokenizerJsonLoader.Load(path);
        var tokenizer = new LocalTokenizer(parts);
        tokenizer.BosId = model.BosToken is { } bosText && parts.TokenToId.TryGetValue(bosText, out var bosId) ? bosId
            : model.BosTokenId ?? (parts.DefaultBosToken is { } d && parts.TokenToId.TryGetValue(d, out var defaultId) ? defaultId : null);

        // tokenizer_config.json add_bos_token decides; without it, whether the tokenizer itself adds one (post_processor, SentencePiece).
        tokenizer.AddBos = (model.AddBosToken ?? parts.DefaultBosToken is not null) && tokenizer.BosId is not null;
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

        _encoder.Encode(text, ids);
        return ids;
    }

    /// <summary>Gets the UTF-8 bytes a token stands for (empty for special tokens).</summary>
    public ReadOnlySpan<byte> TokenBytes(int id) => (uint)id < (uint)_bytes.Length ? _bytes[id] : [];

    /// <summary>Gets a token's vocabulary string (byte-level characters for BPE tokens, the text for added tokens).</summary>
    public string TokenText(int id) => (uint)id < (uint)_idToToken.Length ? _idToToken[id] ?? string.Empty : string.Empty;

    /// <summary>Decodes a whole sequence: special tokens left out, the dummy-prefix space stripped once at the start.</summary>
    public string Decode(IEnumerable<int> ids)
    {
        var bytes = new List<byte>();
        var strip = LeadingSpacesToStrip;
        foreach (var id in ids)
        {
            var token = TokenBytes(id);
            var skip = SpacesToSkip(token, ref strip);
            bytes.AddRange(token[skip..]);
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    /// <summary>
    /// How many leading bytes of <paramref name="token"/> are dummy-prefix spaces to drop; <paramref name="budget"/> falls
    /// to zero once any other byte has been seen (only the very start of a sequence is stripped).
    /// </summary>
    internal static int SpacesToSkip(ReadOnlySpan<byte> token, ref int budget)
    {
        var skip = 0;
        while (budget > 0 && skip < token.Length && token[skip] == (byte)' ')
        {
            skip++;
            budget--;
        }

        if (skip < token.Length)
        {
            budget = 0;
        }

        return skip;
    }
}
