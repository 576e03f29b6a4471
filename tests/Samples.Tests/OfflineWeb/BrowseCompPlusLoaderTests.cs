using Agents.Samples.OfflineWeb.BrowseCompPlus;

namespace Agents.Samples.Tests.OfflineWeb;

public sealed class BrowseCompPlusLoaderTests() : TempFolderTests("bcplus-")
{
    private string Write(string name, params string[] lines)
    {
        string path = Path.Combine(Dir, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public async Task Loads_documents_queries_and_answers_with_field_aliases()
    {
        string docs = Write("docs.jsonl",
            """{"docid":"d1","text":"The Velora River is long.","url":"https://example.org/velora","title":"Velora"}""",
            """{"doc_id":"d2","contents":"Second document."}""",
            "",
            """{"id":3,"content":"Numeric id."}""");
        string queries = Write("queries.jsonl",
            """{"query_id":"q1","query":"How long is the Velora?","answer":"long"}""",
            """{"qid":"q2","question":"Second?"}""");
        string answers = Write("answers.jsonl", """{"query_id":"q2","answer":"yes"}""", """{"id":"q1","answers":["very long","long"]}""");

        var corpus = await BrowseCompPlusLoader.LoadAsync(docs, queries, answers);

        Assert.Empty(corpus.Problems);
        Assert.Equal(["d1", "d2", "3"], corpus.Documents.Select(d => d.DocId));
        Assert.Equal("https://example.org/velora", corpus.Documents[0].Url);
        Assert.Equal("Velora", corpus.Documents[0].Title);
        Assert.Equal("Second document.", corpus.Documents[1].Text);
        Assert.Equal(("q1", "very long"), (corpus.Queries[0].Id, corpus.Queries[0].Answer));
        Assert.Equal(("q2", "Second?", "yes"), (corpus.Queries[1].Id, corpus.Queries[1].Query, corpus.Queries[1].Answer));
    }

    [Fact]
    public async Task Malformed_lines_are_reported_with_line_numbers_and_the_rest_loads()
    {
        string docs = Write("docs.jsonl",
            """{"docid":"d1","text":"ok"}""",
            """{"docid":"d2","text":""",
            """[1,2]""",
            """{"docid":"d1","text":"duplicate"}""",
            """{"text":"no id"}""",
            """{"docid":"d3","text":"ok too"}""");
        string queries = Write("queries.jsonl", """{"query_id":"q1"}""", """{"query_id":"q2","query":"fine"}""");
        string answers = Write("answers.jsonl", """{"query_id":"zz","answer":"x"}""", "not json");

        var corpus = await BrowseCompPlusLoader.LoadAsync(docs, queries, answers);

        Assert.Equal(["d1", "d3"], corpus.Documents.Select(d => d.DocId));
        Assert.Equal(["q2"], corpus.Queries.Select(q => q.Id));
        Assert.Equal(
            [(docs, 2), (docs, 3), (docs, 4), (docs, 5), (queries, 1), (answers, 1), (answers, 2)],
            corpus.Problems.Select(p => (p.File, p.Line)));
        Assert.Contains("invalid JSON", corpus.Problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("expected a JSON object", corpus.Problems[1].Message, StringComparison.Ordinal);
        Assert.Contains("duplicate document id 'd1'", corpus.Problems[2].Message, StringComparison.Ordinal);
        Assert.Contains("unknown query id 'zz'", corpus.Problems[5].Message, StringComparison.Ordinal);
        Assert.StartsWith(docs + ":2: ", corpus.Problems[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_file_names_the_file()
    {
        string queries = Write("queries.jsonl", """{"query_id":"q1","query":"x"}""");
        string missing = Path.Combine(Dir, "nope.jsonl");
        var ex = await Assert.ThrowsAsync<FileNotFoundException>(() => BrowseCompPlusLoader.LoadAsync(missing, queries));
        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writes_documents_for_an_index_and_a_dataset_of_answered_queries()
    {
        string docs = Write("docs.jsonl",
            """{"docid":"a/b:c","text":"Body A","url":"https://x.test/a","title":"Title A"}""",
            """{"docid":"a_b_c","text":"Body B"}""");
        string queries = Write("queries.jsonl", """{"query_id":"q1","query":"Q1?","answer":"A1"}""", """{"query_id":"q2","query":"Q2?"}""");
        var corpus = await BrowseCompPlusLoader.LoadAsync(docs, queries);

        string folder = Path.Combine(Dir, "index-src");
        Assert.Equal(2, await BrowseCompPlusLoader.WriteDocumentsAsync(corpus, folder));
        var files = Directory.GetFiles(folder).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["a_b_c-2.md", "a_b_c.md"], files);
        Assert.Equal("# Title A\n\nSource: https://x.test/a\n\nBody A\n", await File.ReadAllTextAsync(Path.Combine(folder, "a_b_c.md")));

        string dataset = Path.Combine(Dir, "dataset.jsonl");
        Assert.Equal(1, await BrowseCompPlusLoader.WriteDatasetAsync(corpus, dataset));
        using var line = JsonDocument.Parse((await File.ReadAllLinesAsync(dataset)).Single());
        Assert.Equal("A1", line.RootElement.GetProperty("answer").GetString());
    }
}
