using Agents.Samples.OfflineWeb.Generation;

namespace Agents.Samples.OfflineWeb.Export;

/// <summary>Writes an offline web to disk: the pages as HTML files (for a local search index) and the questions as a dataset JSONL.</summary>
public static class OfflineCorpusWriter
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Writes one <c>{id}.html</c> file per page into <paramref name="folder"/> (created if missing). With
    /// <paramref name="baseAddress"/> the links are absolute and each page carries a canonical link to its served
    /// address, so hits from a file index point at the live site.
    /// </summary>
    /// <returns>The number of files written.</returns>
    public static async Task<int> WritePagesAsync(OfflineCorpus corpus, string folder, Uri? baseAddress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Directory.CreateDirectory(folder);
        var pages = baseAddress is null ? corpus.Pages : Render(corpus, baseAddress);
        foreach (var page in pages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await File.WriteAllTextAsync(Path.Combine(folder, page.EntityId + ".html"), page.Html, Utf8NoBom, cancellationToken).ConfigureAwait(false);
        }

        return pages.Count;
    }

    /// <summary>
    /// Writes the questions as JSONL, one <c>{"id","question","answer","hops","constraints"}</c> object per line — the
    /// dataset format of the Eval sample. Keep this file outside any folder a search index reads (it holds the answers).
    /// </summary>
    public static async Task WriteQuestionsAsync(OfflineCorpus corpus, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        var sb = new StringBuilder();
        foreach (var q in corpus.Questions)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("id", q.Id);
                json.WriteString("question", q.Question);
                json.WriteString("answer", q.Answer);
                json.WriteNumber("hops", q.Hops);
                json.WriteStartArray("constraints");
                foreach (var c in q.Constraints)
                {
                    json.WriteStringValue(c);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            sb.Append(Encoding.UTF8.GetString(buffer.ToArray())).Append('\n');
        }

        await File.WriteAllTextAsync(path, sb.ToString(), Utf8NoBom, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Renders the corpus's pages with absolute links under <paramref name="baseAddress"/>.</summary>
    public static IReadOnlyList<WebPage> Render(OfflineCorpus corpus, Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(baseAddress);
        var byId = corpus.Entities.ToDictionary(e => e.Id, StringComparer.Ordinal);
        var graph = new RelationGraph(corpus.Entities);
        return corpus.Entities.Select(e => PageRenderer.Render(e, byId, graph, baseAddress, corpus.PageSizeFactor)).ToList();
    }
}
