using Microsoft.ML.Tokenizers;

namespace Agents.LocalEngine.Tokenization;

/// <summary>Byte-level BPE (GPT-2, Qwen, Llama-3): Microsoft.ML.Tokenizers encodes.</summary>
internal sealed class ByteLevelBpeEncoder(BpeTokenizer bpe) : ITokenEncoder
{
    public void Encode(string text, List<int> ids) => ids.AddRange(bpe.EncodeToIds(text));
}
