namespace Agents.Samples.Tests.OfflineWeb;

public sealed class OfflineCorpusWriterTests() : TempFolderTests("offlineweb-")
{
    [Fact]
    public async Task Writes_one_html_file_per_page_with_absolute_links_and_canonical_url()
    {
        var corpus = new OfflineWebGenerator(new OfflineWebOptions { Questions = 3 }).Generate();
        var baseAddress = new Uri("http://127.0.0.1:5555/");
        int written = await OfflineCorpusWriter.WritePagesAsync(corpus, Path.Combine(Dir, "pages"), baseAddress);

        Assert.Equal(corpus.Pages.Count, written);
        var files = Directory.GetFiles(Path.Combine(Dir, "pages"), "*.html");
        Assert.Equal(corpus.Pages.Count, files.Length);
        var entity = corpus.Entities[0];
        string html = await File.ReadAllTextAsync(Path.Combine(Dir, "pages", entity.Id + ".html"));
        Assert.Contains($"<link rel=\"canonical\" href=\"http://127.0.0.1:5555/wiki/{entity.Id}\">", html, StringComparison.Ordinal);
        Assert.Contains("href=\"http://127.0.0.1:5555/wiki/", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/wiki/", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_base_address_pages_are_written_as_generated()
    {
        var corpus = new OfflineWebGenerator(new OfflineWebOptions { Questions = 0 }).Generate();
        await OfflineCorpusWriter.WritePagesAsync(corpus, Dir);
        Assert.Equal(corpus.Pages[0].Html, await File.ReadAllTextAsync(Path.Combine(Dir, corpus.Pages[0].EntityId + ".html")));
    }

    [Fact]
    public async Task Questions_jsonl_round_trips_id_question_answer()
    {
        var corpus = new OfflineWebGenerator(new OfflineWebOptions { Questions = 6 }).Generate();
        string path = Path.Combine(Dir, "sub", "questions.jsonl");
        await OfflineCorpusWriter.WriteQuestionsAsync(corpus, path);
        var lines = await File.ReadAllLinesAsync(path);
        Assert.Equal(6, lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            using var doc = JsonDocument.Parse(lines[i]);
            Assert.Equal(corpus.Questions[i].Id, doc.RootElement.GetProperty("id").GetString());
            Assert.Equal(corpus.Questions[i].Question, doc.RootElement.GetProperty("question").GetString());
            Assert.Equal(corpus.Questions[i].Answer, doc.RootElement.GetProperty("answer").GetString());
            Assert.Equal(corpus.Questions[i].Hops, doc.RootElement.GetProperty("hops").GetInt32());
        }
    }

    [Fact]
    public async Task Cancellation_is_honoured()
    {
        var corpus = new OfflineWebGenerator(new OfflineWebOptions { Questions = 0 }).Generate();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => OfflineCorpusWriter.WritePagesAsync(corpus, Dir, null, cts.Token));
    }
}
