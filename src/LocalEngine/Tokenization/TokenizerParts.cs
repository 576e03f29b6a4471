namespace Agents.LocalEngine.Tokenization;

/// <summary>What a tokenizer file yields: the encoder and, per id, the bytes the token decodes to.</summary>
/// <param name="Encoder">Encodes text.</param>
/// <param name="Bytes">Per id, the UTF-8 bytes the token stands for (empty for special tokens).</param>
/// <param name="TokenToId">Every token string (vocabulary and added tokens) → id.</param>
/// <param name="SpecialIds">Ids left out of decoded text.</param>
/// <param name="LeadingSpacesToStrip">Spaces the decoder strips from the start of a decoded sequence (the SentencePiece dummy prefix).</param>
/// <param name="DefaultBosToken">The token the tokenizer itself puts first (tokenizer.json post_processor, SentencePiece BOS), used when tokenizer_config.json does not say.</param>
internal sealed record TokenizerParts(
    ITokenEncoder Encoder,
    byte[][] Bytes,
    Dictionary<string, int> TokenToId,
    HashSet<int> SpecialIds,
    int LeadingSpacesToStrip,
    string? DefaultBosToken);
