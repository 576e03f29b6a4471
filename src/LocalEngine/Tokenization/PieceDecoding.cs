using System.Globalization;
using System.Text;

namespace Agents.LocalEngine.Tokenization;

/// <summary>
/// The tokenizer.json decoder of a SentencePiece-style BPE as bytes per token: Replace (for example "▁" → " "),
/// ByteFallback (<c>&lt;0xXX&gt;</c> → that byte), Fuse (nothing to do on bytes) and Strip / Metaspace (leading spaces
/// removed once, at the start of a decoded sequence).
/// </summary>
internal sealed class PieceDecoding(IReadOnlyList<(string From, string To)> replacements, bool byteFallback, int leadingSpacesToStrip)
{
    public int LeadingSpacesToStrip => leadingSpacesToStrip;

    public byte[] BytesOf(string token)
    {
        if (byteFallback && token.Length == 6 && token.StartsWith("<0x", StringComparison.Ordinal) && token[5] == '>'
            && byte.TryParse(token.AsSpan(3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
        {
            return [b];
        }

        foreach (var (from, to) in replacements)
        {
            token = token.Replace(from, to, StringComparison.Ordinal);
        }

        return Encoding.UTF8.GetBytes(token);
    }
}
