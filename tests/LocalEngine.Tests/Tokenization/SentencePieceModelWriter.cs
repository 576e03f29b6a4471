using Agents.LocalEngine.Tests.SentencePiece;
using Google.Protobuf;

namespace Agents.LocalEngine.Tests.Tokenization;

/// <summary>Writes the Llama-style fixture vocabulary as a SentencePiece tokenizer.model.</summary>
public static class SentencePieceModelWriter
{
    /// <summary>
    /// Writes the fixture vocabulary as a SentencePiece BPE ModelProto (as Llama-2's tokenizer.model: add_dummy_prefix,
    /// no extra-whitespace removal, byte fallback). Scores follow the ids, as generate-expected.mjs ranked the pieces:
    /// the earlier a merged piece, the better its score, so SentencePiece merges in the order of tokenizer.json's merges.
    /// </summary>
    public static void Write(string path)
    {
        var json = LlamaStyleFixtures.Json("llama-legacy");
        var vocab = json["model"]!["vocab"]!.AsObject().Select(kv => (Piece: kv.Key, Id: (int)kv.Value!)).OrderBy(x => x.Id).ToList();
        var model = new ModelProto
        {
            TrainerSpec = new TrainerSpec
            {
                ModelType = TrainerSpec.Types.ModelType.Bpe,
                VocabSize = vocab.Count,
                ByteFallback = true,
                UnkId = 0,
                BosId = 1,
                EosId = 2,
                PadId = -1,
            },
            NormalizerSpec = new NormalizerSpec { Name = "identity", AddDummyPrefix = true, RemoveExtraWhitespaces = false, EscapeWhitespaces = true },
        };
        for (var i = 0; i < vocab.Count; i++)
        {
            if (vocab[i].Id != i)
            {
                throw new InvalidOperationException($"fixture ids are not contiguous at {i}");
            }

            var piece = vocab[i].Piece;
            var type = i switch
            {
                0 => ModelProto.Types.SentencePiece.Types.Type.Unknown,
                1 or 2 => ModelProto.Types.SentencePiece.Types.Type.Control,
                < 259 => ModelProto.Types.SentencePiece.Types.Type.Byte,
                _ => ModelProto.Types.SentencePiece.Types.Type.Normal,
            };
            model.Pieces.Add(new ModelProto.Types.SentencePiece { Piece = piece, Score = i < 259 ? 0f : -(i - 259), Type = type });
        }

        File.WriteAllBytes(path, model.ToByteArray());
    }

}
