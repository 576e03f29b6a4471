using Agents.Plugins.Extraction;

namespace Agents.Plugins.Browsing;

/// <summary>A page that was read and turned into text, split into chunks for the model.</summary>
internal sealed class ReadDocument
{
    public ReadDocument(Uri url, string contentType, ExtractedDocument extracted, int chunkSize, long sequence)
    {
        Url = url;
        ContentType = contentType;
        Title = extracted.Title;
        Text = extracted.Text;
        Links = extracted.Links;
        Chunks = Split(extracted.Text, chunkSize);
        Sequence = sequence;
    }

    public Uri Url { get; }

    public string ContentType { get; }

    public string Title { get; }

    public string Text { get; }

    public IReadOnlyList<ExtractedLink> Links { get; }

    /// <summary>Gets the start offsets and texts of the chunks.</summary>
    public IReadOnlyList<(int Start, string Text)> Chunks { get; }

    public long Sequence { get; }

    public int ChunkOf(int offset)
    {
        for (var i = Chunks.Count - 1; i >= 0; i--)
        {
            if (offset >= Chunks[i].Start)
            {
                return i;
            }
        }

        return 0;
    }

    /// <summary>Splits text into chunks of at most <paramref name="size"/> characters, preferring paragraph, line, then word breaks.</summary>
    internal static List<(int Start, string Text)> Split(string text, int size)
    {
        var chunks = new List<(int, string)>();
        var start = 0;
        while (start < text.Length)
        {
            var end = Math.Min(start + size, text.Length);
            if (end < text.Length)
            {
                var window = text.AsSpan(start, end - start);
                var cut = window.LastIndexOf("\n\n");
                if (cut < size / 2)
                {
                    cut = window.LastIndexOf('\n');
                }

                if (cut < size / 2)
                {
                    cut = window.LastIndexOf(' ');
                }

                if (cut >= size / 2)
                {
                    end = start + cut;
                }
            }

            chunks.Add((start, text[start..end].Trim()));
            start = end;
            while (start < text.Length && char.IsWhiteSpace(text[start]))
            {
                start++;
            }
        }

        if (chunks.Count == 0)
        {
            chunks.Add((0, string.Empty));
        }

        return chunks;
    }
}
