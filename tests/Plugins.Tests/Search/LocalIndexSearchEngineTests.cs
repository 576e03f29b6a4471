using Agents.Plugins.Search.Local;
using Microsoft.Extensions.Time.Testing;

namespace Agents.Plugins.Tests.Search;

public sealed class LocalIndexSearchEngineTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("agents-index-").FullName;

    public void Dispose() => Directory.Delete(_root, true);

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_root, name), text);

    private void Seed()
    {
        Write("page.html", "<html><head><title>Zebra habitats</title></head><body><article><h1>Zebra habitats</h1><p>Zebras live in the savanna of east Africa and graze on grasses every day.</p><p>They move in herds.</p></article><script>var hidden='javascriptonly';</script></body></html>");
        Write("notes.md", "# Quasar notes\n\nA quasar is an extremely luminous active galactic nucleus.");
        Write("plain.txt", "Marmalade is a fruit preserve made from citrus peel.");
        Write("ignored.json", "{\"marmalade\": true}");
        Directory.CreateDirectory(Path.Combine(_root, "sub"));
        File.WriteAllBytes(Path.Combine(_root, "sub", "paper.pdf"), TestPdf.Create("Tachyon paper", "Tachyons are hypothetical particles", "faster than light."));
    }

    [Fact]
    public async Task Indexes_html_markdown_text_and_pdf_and_finds_them()
    {
        Seed();
        using var engine = new LocalIndexSearchEngine(new LocalIndexOptions { DocumentsDirectory = _root });

        var zebra = await engine.SearchAsync("savanna", 5, default);
        var quasar = await engine.SearchAsync("luminous", 5, default);
        var marmalade = await engine.SearchAsync("marmalade", 5, default);
        var tachyon = await engine.SearchAsync("hypothetical particles", 5, default);

        Assert.Equal("Zebra habitats", Assert.Single(zebra).Title);
        Assert.Contains("savanna", zebra[0].Snippet);
        Assert.Equal("local", zebra[0].Engine);
        Assert.Equal(new Uri("http://local-documents.invalid/page.html"), zebra[0].Url);
        Assert.Equal("Quasar notes", Assert.Single(quasar).Title);
        Assert.Equal("plain", Assert.Single(marmalade).Title);
        Assert.Equal("Tachyon paper", Assert.Single(tachyon).Title);
        Assert.Empty(await engine.SearchAsync("javascriptonly", 5, default));
        Assert.Equal(4, engine.DocumentCount);
    }

    [Fact]
    public async Task Reindexes_changed_new_and_deleted_files_after_the_refresh_interval()
    {
        Seed();
        var time = new FakeTimeProvider();
        using var engine = new LocalIndexSearchEngine(new LocalIndexOptions { DocumentsDirectory = _root, RefreshInterval = TimeSpan.FromMinutes(1) }, time);
        Assert.Single(await engine.SearchAsync("marmalade", 5, default));

        Write("plain.txt", "Now this file is about gooseberries.");
        File.SetLastWriteTimeUtc(Path.Combine(_root, "plain.txt"), DateTime.UtcNow.AddMinutes(5));
        Write("new.md", "# New\n\nA note on gooseberries and pies.");
        File.Delete(Path.Combine(_root, "notes.md"));

        // Within the interval the index is not rescanned.
        Assert.Single(await engine.SearchAsync("marmalade", 5, default));

        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Empty(await engine.SearchAsync("marmalade", 5, default));
        Assert.Equal(2, (await engine.SearchAsync("gooseberries", 5, default)).Count);
        Assert.Empty(await engine.SearchAsync("quasar", 5, default));
    }

    [Fact]
    public async Task Refresh_reports_what_changed()
    {
        Seed();
        using var engine = new LocalIndexSearchEngine(new LocalIndexOptions { DocumentsDirectory = _root });
        Assert.Equal(new LocalIndexRefreshResult(4, 0, 0, 0), await engine.RefreshAsync(default));
        Assert.Equal(new LocalIndexRefreshResult(0, 0, 0, 0), await engine.RefreshAsync(default));
        File.Delete(Path.Combine(_root, "plain.txt"));
        File.WriteAllBytes(Path.Combine(_root, "broken.pdf"), "not a pdf"u8.ToArray());
        var result = await engine.RefreshAsync(default);
        Assert.Equal(1, result.Removed);
        Assert.Equal(1, result.Failed);
    }

    [Fact]
    public async Task Persistent_index_is_reused_without_reindexing()
    {
        Seed();
        var indexDir = Path.Combine(Path.GetTempPath(), "agents-idx-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (var first = new LocalIndexSearchEngine(new LocalIndexOptions { DocumentsDirectory = _root, IndexDirectory = indexDir }))
            {
                await first.RefreshAsync(default);
            }

            using var second = new LocalIndexSearchEngine(new LocalIndexOptions { DocumentsDirectory = _root, IndexDirectory = indexDir });
            Assert.Equal(4, second.DocumentCount);
            Assert.Equal(new LocalIndexRefreshResult(0, 0, 0, 0), await second.RefreshAsync(default));
        }
        finally
        {
            Directory.Delete(indexDir, true);
        }
    }

    [Fact]
    public async Task Query_syntax_errors_fall_back_to_escaped_text()
    {
        Seed();
        using var engine = new LocalIndexSearchEngine(new LocalIndexOptions { DocumentsDirectory = _root });
        Assert.Single(await engine.SearchAsync("marmalade AND (", 5, default));
        Assert.Single(await engine.SearchAsync("\"citrus peel", 5, default));
    }

    [Fact]
    public void Missing_folder_names_the_option()
    {
        var ex = Assert.Throws<DirectoryNotFoundException>(() => new LocalIndexSearchEngine(new LocalIndexOptions { DocumentsDirectory = Path.Combine(_root, "nope") }));
        Assert.Contains("LocalIndexOptions.DocumentsDirectory", ex.Message);
        Assert.Throws<OptionsValidationException>(() => new LocalIndexSearchEngine(new LocalIndexOptions()));
    }

    [Fact]
    public void Bad_extension_names_the_option()
    {
        var options = new LocalIndexOptions { DocumentsDirectory = _root };
        options.Extensions.Add("txt");
        var ex = Assert.Throws<OptionsValidationException>(() => new LocalIndexSearchEngine(options));
        Assert.Contains("LocalIndexOptions.Extensions", ex.Message);
    }

    [Fact]
    public async Task Blank_query_is_rejected()
    {
        using var engine = new LocalIndexSearchEngine(new LocalIndexOptions { DocumentsDirectory = _root });
        await Assert.ThrowsAsync<ArgumentException>(() => engine.SearchAsync("", 5, default));
    }

    [Fact]
    public async Task Logs_each_scan_through_the_given_logger_factory()
    {
        Write("notes.md", "# Quasar notes\n\nA quasar is an extremely luminous active galactic nucleus.");
        var loggers = new ListLoggerFactory();
        using var engine = new LocalIndexSearchEngine(new LocalIndexOptions { DocumentsDirectory = _root }, loggerFactory: loggers);

        await engine.SearchAsync("luminous", 5, default);

        var entry = Assert.Single(loggers.For<LocalIndexSearchEngine>());
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Equal("local index: 1 added, 0 updated, 0 removed, 0 failed", entry.Message);
    }
}
