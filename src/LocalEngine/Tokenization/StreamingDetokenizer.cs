using System.Text;

namespace Agents.LocalEngine.Tokenization;

/// <summary>
/// Turns tokens into text one at a time, holding back the bytes of an unfinished UTF-8 character; the dummy-prefix
/// space of SentencePiece tokenizers is stripped only at the very beginning of the stream.
/// </summary>
internal sealed class StreamingDetokenizer
{
    private readonly LocalTokenizer _tokenizer;
    private readonly Decoder _decoder = new UTF8Encoding(false, false).GetDecoder();
    private char[] _chars = new char[64];
    private int _stripBudget;

    public StreamingDetokenizer(LocalTokenizer tokenizer)
    {
        _tokenizer = tokenizer;
        _stripBudget = tokenizer.LeadingSpacesToStrip;
    }

    /// <summary>Adds a token and returns the text it completes (empty while a character is unfinished).</summary>
    public string Append(int tokenId)
    {
        var bytes = _tokenizer.TokenBytes(tokenId);
        if (_stripBudget > 0)
        {
            bytes = bytes[LocalTokenizer.SpacesToSkip(bytes, ref _stripBudget)..];
        }

        if (bytes.IsEmpty)
        {
            return string.Empty;
        }

        var needed = _decoder.GetCharCount(bytes, flush: false);
        if (_chars.Length < needed)
        {
            _chars = new char[Math.Max(needed, _chars.Length * 2)];
        }

        var count = _decoder.GetChars(bytes, _chars, flush: false);
        return count == 0 ? string.Empty : new string(_chars, 0, count);
    }

    /// <summary>Returns what is left (an unfinished character becomes U+FFFD).</summary>
    public string Flush()
    {
        var count = _decoder.GetChars([], _chars, flush: true);
        return count == 0 ? string.Empty : new string(_chars, 0, count);
    }
}
