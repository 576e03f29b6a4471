namespace Agents.LocalEngine.Constraints;

/// <summary>
/// What constrained decoding needs to know about a tokenizer, computed once per engine: each token id's bytes (empty for
/// special tokens and ids the tokenizer lacks), a trie of all tokens, a trie of the tokens that are not plain string
/// content, and a mask of those that are (no quote, backslash or control byte), which are all allowed inside a free string.
/// </summary>
internal sealed class ConstraintVocabulary
{
    public ConstraintVocabulary(int vocabSize, Func<int, byte[]> bytesOf, IReadOnlyList<int> endOfSequenceIds)
    {
        var bytes = new byte[vocabSize][];
        var plain = new bool[vocabSize];
        var notPlain = new List<int>();
        var longest = 0;
        for (var id = 0; id < vocabSize; id++)
        {
            var b = bytesOf(id);
            bytes[id] = b;
            longest = Math.Max(longest, b.Length);
            if (b.Length == 0)
            {
                continue;
            }

            if (b.AsSpan().IndexOfAny((byte)'"', (byte)'\\') < 0 && !b.AsSpan().ContainsAnyInRange((byte)0, (byte)0x1F))
            {
                plain[id] = true;
            }
            else
            {
                notPlain.Add(id);
            }
        }

        TokenBytes = bytes;
        PlainString = plain;
        LongestToken = longest;
        EndOfSequenceIds = [.. endOfSequenceIds.Where(i => (uint)i < (uint)vocabSize)];
        All = TokenTrie.Build(bytes, Enumerable.Range(0, vocabSize));
        NotPlain = TokenTrie.Build(bytes, notPlain);
    }

    public int Size => TokenBytes.Length;

    public byte[][] TokenBytes { get; }

    public bool[] PlainString { get; }

    public int LongestToken { get; }

    public int[] EndOfSequenceIds { get; }

    public TokenTrie All { get; }

    public TokenTrie NotPlain { get; }
}
