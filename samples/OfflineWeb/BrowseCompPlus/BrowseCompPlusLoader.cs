using Agents.Samples.OfflineWeb.Jsonl;

namespace Agents.Samples.OfflineWeb.BrowseCompPlus;

/// <summary>
/// Loads a BrowseComp-Plus-style corpus from disk: a documents JSONL (<c>docid</c>/<c>doc_id</c>/<c>id</c>,
/// <c>text</c>/<c>contents</c>/<c>content</c>, optional <c>url</c>, <c>title</c>), a queries JSONL
/// (<c>query_id</c>/<c>qid</c>/<c>id</c>, <c>query</c>/<c>question</c>, optional <c>answer</c>) and an optional
/// answers JSONL (<c>query_id</c>/<c>id</c>, <c>answer</c>) that overrides answers in the queries file.
/// Malformed lines are reported with their numbers; the rest loads.
/// </summary>
public static class BrowseCompPlusLoader
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private static readonly string[] DocIdNames = ["docid", "doc_id", "id"];
    private static readonly string[] TextNames = ["text", "contents", "content", "body"];
    private static readonly string[] QueryIdNames = ["query_id", "qid", "id"];
    private static readonly string[] QueryNames = ["query", "question"];

    /// <summary>Loads the corpus.</summary>
    /// <exception cref="FileNotFoundException">A given file does not exist (the message names it).</exception>
    public static async Task<BrowseCompPlusCorpus> LoadAsync(string documentsPath, string queriesPath, string? answersPath = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(documentsPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(queriesPath);
        var problems = new List<JsonlProblem>();

        var documents = new List<CorpusDocument>();
        var docIds = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var (number, obj) in JsonlReader.ReadObjectsAsync(documentsPath, problems, cancellationToken).ConfigureAwait(false))
        {
            string? id = JsonlReader.GetString(obj, DocIdNames);
            string? text = JsonlReader.GetString(obj, TextNames);
            if (string.IsNullOrWhiteSpace(id) || text is null)
            {
                problems.Add(new(documentsPath, number, "a document needs an id (docid, doc_id or id) and a text (text, contents, content or body)"));
            }
            else if (!docIds.Add(id))
            {
                problems.Add(new(documentsPath, number, $"duplicate document id '{id}'"));
            }
            else
            {
                documents.Add(new CorpusDocument(id, text, JsonlReader.GetString(obj, "url"), JsonlReader.GetString(obj, "title")));
            }
        }

        var queries = new List<CorpusQuery>();
        var queryIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var (number, obj) in JsonlReader.ReadObjectsAsync(queriesPath, problems, cancellationToken).ConfigureAwait(false))
        {
            string? id = JsonlReader.GetString(obj, QueryIdNames);
            string? query = JsonlReader.GetString(obj, QueryNames);
            if (string.IsNullOrWhiteSpace(id) || string.IsNullOrWhiteSpace(query))
            {
                problems.Add(new(queriesPath, number, "a query needs an id (query_id, qid or id) and a text (query or question)"));
            }
            else if (queryIndex.ContainsKey(id))
            {
                problems.Add(new(queriesPath, number, $"duplicate query id '{id}'"));
            }
            else
            {
                queryIndex[id] = queries.Count;
                queries.Add(new CorpusQuery(id, query, JsonlReader.GetString(obj, "answer", "answers")));
            }
        }

        if (answersPath is not null)
        {
            await foreach (var (number, obj) in JsonlReader.ReadObjectsAsync(answersPath, problems, cancellationToken).ConfigureAwait(false))
            {
                string? id = JsonlReader.GetString(obj, QueryIdNames);
                string? answer = JsonlReader.GetString(obj, "answer", "answers");
                if (string.IsNullOrWhiteSpace(id) || answer is null)
                {
                    problems.Add(new(answersPath, number, "an answer needs an id (query_id, qid or id) and an answer"));
                }
                else if (!queryIndex.TryGetValue(id, out int index))
                {
                    problems.Add(new(answersPath, number, $"answer for unknown query id '{id}'"));
                }
                else
                {
                    queries[index] = queries[index] with { Answer = answer };
                }
            }
        }

        return new BrowseCompPlusCorpus(documents, queries, problems);
    }

    /// <summary>
    /// Writes each document as a Markdown file (title heading, source URL line, text) into <paramref name="folder"/>
    /// for a local search index. File names are derived from the ids and made safe.
    /// </summary>
    /// <returns>The number of files written.</returns>
    public static async Task<int> WriteDocumentsAsync(BrowseCompPlusCorpus corpus, string folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Directory.CreateDirectory(folder);
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var doc in corpus.Documents)
        {
            string name = SafeFileName(doc.DocId);
            for (int n = 2; !used.Add(name); n++)
            {
                name = SafeFileName(doc.DocId) + "-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            var sb = new StringBuilder();
            sb.Append("# ").Append(string.IsNullOrWhiteSpace(doc.Title) ? doc.DocId : doc.Title).Append("\n\n");
            if (!string.IsNullOrWhiteSpace(doc.Url))
            {
                sb.Append("Source: ").Append(doc.Url).Append("\n\n");
            }

            sb.Append(doc.Text).Append('\n');
            await File.WriteAllTextAsync(Path.Combine(folder, name + ".md"), sb.ToString(), Utf8NoBom, cancellationToken).ConfigureAwait(false);
        }

        return corpus.Documents.Count;
    }

    /// <summary>Writes the queries that have answers as an Eval dataset JSONL (<c>id</c>, <c>question</c>, <c>answer</c>).</summary>
    /// <returns>The number of lines written (queries without an answer are left out).</returns>
    public static async Task<int> WriteDatasetAsync(BrowseCompPlusCorpus corpus, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var sb = new StringBuilder();
        int count = 0;
        foreach (var q in corpus.Queries.Where(q => q.Answer is not null))
        {
            sb.Append(JsonSerializer.Serialize(new Dictionary<string, string> { ["id"] = q.Id, ["question"] = q.Query, ["answer"] = q.Answer! })).Append('\n');
            count++;
        }

        await File.WriteAllTextAsync(path, sb.ToString(), Utf8NoBom, cancellationToken).ConfigureAwait(false);
        return count;
    }

    private static string SafeFileName(string id)
    {
        var sb = new StringBuilder(id.Length);
        foreach (char c in id)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        string name = sb.ToString().Trim('.');
        return name.Length == 0 ? "doc" : name.Length > 120 ? name[..120] : name;
    }
}
