using Microsoft.ML.Tokenizers;

namespace Agents.LocalEngine.Tokenization;

/// <summary>A SentencePiece tokenizer.model: Microsoft.ML.Tokenizers encodes (without BOS/EOS; the caller adds BOS).</summary>
internal sealed class SentencePieceModelEncoder(SentencePieceTokenizer tokenizer) : ITokenEncoder
{
    public void Encode(string text, List<int> ids) =>
        ids.AddRange(tokenizer.EncodeToIds(text, addBeginningOfSentence: false, addEndOfSentence: false));
}
