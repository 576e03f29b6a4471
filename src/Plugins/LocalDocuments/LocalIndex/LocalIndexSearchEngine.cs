using System.Globalization;
using Agents.Plugins.Extraction;
using Agents.Plugins.LocalDocuments;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Agents.Plugins.Search.Local;

/// <summary>
/// An embedded Lucene.Net index over a folder of HTML, Markdown, text and PDF files: the search engine that
/// works offline, and the default when no web search API is configured. The folder is rescanned
/// incrementally (changed, new and deleted files) when the last scan is older than
/// <see cref="LocalIndexOptions.RefreshInterval"/>. Hits carry the documents' addresses on the local documents
/// virtual host (<c>http://local-documents.invalid/&lt;relative path&gt;</c>, see
/// <see cref="LocalIndexOptions.DocumentsHostName"/>), never the server's file paths; a
/// <see cref="LocalDocumentsPageFetcher"/> over the same folder serves them to <c>browse</c>.
/// </summary>
public sealed class LocalIndexSearchEngine : ISearchEngine, IDisposable
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    private const string PathField = "path";
    private const string TitleField = "title";
    private const string ContentField = "content";
    private const string StampField = "stamp";
    private const int SnippetLength = 240;

    private readonly LocalIndexOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly string _root;
    private readonly LocalDocumentLinks _links;
    private readonly LuceneDirectory _directory;
    private readonly StandardAnalyzer _analyzer;
    private readonly IndexWriter _writer;
    private readonly SearcherManager _searchers;
    private readonly SemaphoreSlim _refreshLock = new(1, 1);
    private readonly Dictionary<string, string> _stamps = new(StringComparer.Ordinal);
    private DateTimeOffset? _lastRefresh;
    private bool _disposed;

    /// <summary>Creates the engine and opens (or creates) the index; the first search scans the folder.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <param name="timeProvider">The clock that decides when to rescan; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="loggerFactory">Creates the logger; none when null.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public LocalIndexSearchEngine(LocalIndexOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<LocalIndexSearchEngine>();
        _root = Path.GetFullPath(options.DocumentsDirectory!);
        var served = new LocalDocumentsOptions { RootDirectory = _root, HostName = options.DocumentsHostName, MaxDocumentBytes = options.MaxFileBytes };
        served.Extensions.Clear();
        served.Extensions.UnionWith(options.Extensions);
        _links = new LocalDocumentLinks(served);
        _directory = options.IndexDirectory is null ? new RAMDirectory() : FSDirectory.Open(new DirectoryInfo(options.IndexDirectory));
        _analyzer = new StandardAnalyzer(Version);
        _writer = new IndexWriter(_directory, new IndexWriterConfig(Version, _analyzer) { OpenMode = OpenMode.CREATE_OR_APPEND });
        _searchers = new SearcherManager(_writer, true, null);
        LoadStamps();
    }

    /// <inheritdoc />
    public string Name => "local";

    /// <summary>Gets the number of documents in the index.</summary>
    public int DocumentCount
    {
        get
        {
            var searcher = _searchers.Acquire();
            try
            {
                return searcher.IndexReader.NumDocs;
            }
            finally
            {
                _searchers.Release(searcher);
            }
        }
    }

    /// <summary>Scans the folder now and indexes new and changed files and drops deleted ones.</summary>
    /// <param name="cancellationToken">Cancels the scan; what was indexed so far is kept.</param>
    /// <returns>What changed.</returns>
    public async Task<LocalIndexRefreshResult> RefreshAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _refreshLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(() => Scan(cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(string query, int maxResults, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        ObjectDisposedException.ThrowIf(_disposed, this);

        if (_lastRefresh is not { } last || _timeProvider.GetUtcNow() - last >= _options.RefreshInterval)
        {
            try
            {
                await RefreshAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The exception's message holds the server's path: log it, tell the model only what happened.
                _logger.LogError(ex, "local index: the documents folder could not be scanned");
                throw new SearchEngineException("the local documents folder could not be read (the details were logged on the server).", ex);
            }
        }

        var parsed = Parse(query);
        var searcher = _searchers.Acquire();
        try
        {
            var top = searcher.Search(parsed, maxResults);
            var terms = Terms(query);
            var hits = new List<SearchHit>(top.ScoreDocs.Length);
            foreach (var scoreDoc in top.ScoreDocs)
            {
                var doc = searcher.Doc(scoreDoc.Doc);
                var path = doc.Get(PathField, CultureInfo.InvariantCulture);
                var stamp = doc.Get(StampField, CultureInfo.InvariantCulture);
                DateTimeOffset? modified = long.TryParse(stamp?.Split(':')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks)
                    ? new DateTimeOffset(ticks, TimeSpan.Zero)
                    : null;
                hits.Add(new SearchHit(
                    doc.Get(TitleField, CultureInfo.InvariantCulture) ?? Path.GetFileName(path),
                    LocalDocumentAddress.Create(_options.DocumentsHostName, path),
                    Snippet(doc.Get(ContentField, CultureInfo.InvariantCulture) ?? string.Empty, terms),
                    Name,
                    modified));
            }

            return hits;
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    /// <summary>Closes the index.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _searchers.Dispose();
        _writer.Dispose();
        _analyzer.Dispose();
        _directory.Dispose();
        _refreshLock.Dispose();
    }

    private Query Parse(string query)
    {
        var parser = new MultiFieldQueryParser(Version, [TitleField, ContentField], _analyzer, new Dictionary<string, float> { [TitleField] = 2f, [ContentField] = 1f })
        {
            DefaultOperator = Operator.OR,
        };
        try
        {
            return parser.Parse(query);
        }
        catch (ParseException)
        {
            return parser.Parse(QueryParserBase.Escape(query));
        }
    }

    private LocalIndexRefreshResult Scan(CancellationToken cancellationToken)
    {
        int added = 0, updated = 0, removed = 0, failed = 0;
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in System.IO.Directory.EnumerateFiles(_root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!_options.Extensions.Contains(Path.GetExtension(file)))
            {
                continue;
            }

            var info = new FileInfo(file);
            if (info.Length > _options.MaxFileBytes)
            {
                continue;
            }

            var relative = Path.GetRelativePath(_root, file);

            // Index only what the local documents virtual host would serve: nothing hidden, nothing behind a link
            // that leads out of the folder (its text would otherwise show up in snippets).
            if (_links.Resolve(LocalDocumentAddress.Create(_options.DocumentsHostName, relative), out _) is null)
            {
                continue;
            }

            present.Add(relative);
            var stamp = string.Create(CultureInfo.InvariantCulture, $"{info.LastWriteTimeUtc.Ticks}:{info.Length}");
            var known = _stamps.TryGetValue(relative, out var old);
            if (known && old == stamp)
            {
                continue;
            }

            try
            {
                var extracted = Extract(file, LocalDocumentAddress.Create(_options.DocumentsHostName, relative));
                var doc = new Document
                {
                    new StringField(PathField, relative, Field.Store.YES),
                    new StringField(StampField, stamp, Field.Store.YES),
                    new TextField(TitleField, extracted.Title, Field.Store.YES),
                    new TextField(ContentField, extracted.Text, Field.Store.NO),
                    new StoredField(ContentField, extracted.Text.Length > _options.MaxStoredCharacters ? extracted.Text[.._options.MaxStoredCharacters] : extracted.Text),
                };
                _writer.UpdateDocument(new Term(PathField, relative), doc);
                _stamps[relative] = stamp;
                if (known)
                {
                    updated++;
                }
                else
                {
                    added++;
                }
            }
#pragma warning disable CA1031 // One unreadable file must not stop the scan; it is logged and counted.
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                failed++;
                _logger.LogWarning(ex, "local index: could not index {File}", file);
            }
        }

        foreach (var gone in _stamps.Keys.Where(k => !present.Contains(k)).ToList())
        {
            _writer.DeleteDocuments(new Term(PathField, gone));
            _stamps.Remove(gone);
            removed++;
        }

        if (added + updated + removed > 0)
        {
            _writer.Commit();
        }

        _searchers.MaybeRefreshBlocking();
        _lastRefresh = _timeProvider.GetUtcNow();
        _logger.LogInformation("local index: {Added} added, {Updated} updated, {Removed} removed, {Failed} failed", added, updated, removed, failed);
        return new LocalIndexRefreshResult(added, updated, removed, failed);
    }

    private static ExtractedDocument Extract(string file, Uri address)
    {
        var extension = Path.GetExtension(file).ToUpperInvariant();
        var name = Path.GetFileNameWithoutExtension(file);
        switch (extension)
        {
            case ".HTML" or ".HTM":
                var html = ContentExtractor.FromHtml(File.ReadAllText(file), address, 0);
                return html.Title.Length > 0 ? html : html with { Title = name };
            case ".PDF":
                var pdf = ContentExtractor.FromPdf(File.ReadAllBytes(file));
                return pdf.Title.Length > 0 ? pdf : pdf with { Title = name };
            default:
                var text = File.ReadAllText(file);
                var heading = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal));
                return ContentExtractor.FromPlainText(text, heading is null ? name : heading[2..].Trim());
        }
    }

    private void LoadStamps()
    {
        var searcher = _searchers.Acquire();
        try
        {
            var reader = searcher.IndexReader;
            var live = MultiFields.GetLiveDocs(reader);
            for (var i = 0; i < reader.MaxDoc; i++)
            {
                if (live is not null && !live.Get(i))
                {
                    continue;
                }

                var doc = reader.Document(i);
                if (doc.Get(PathField, CultureInfo.InvariantCulture) is { } path && doc.Get(StampField, CultureInfo.InvariantCulture) is { } stamp)
                {
                    _stamps[path] = stamp;
                }
            }
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    private static string[] Terms(string query)
        => query.Split([' ', '"', '(', ')', ':', '+', '-', '*', '?'], StringSplitOptions.RemoveEmptyEntries)
            .Where(t => t.Length > 1 && t is not ("AND" or "OR" or "NOT"))
            .ToArray();

    private static string Snippet(string text, string[] terms)
    {
        var at = -1;
        foreach (var term in terms)
        {
            var i = text.IndexOf(term, StringComparison.OrdinalIgnoreCase);
            if (i >= 0 && (at < 0 || i < at))
            {
                at = i;
            }
        }

        var start = Math.Max(0, at - (SnippetLength / 3));
        var length = Math.Min(SnippetLength, text.Length - start);
        var snippet = ContentExtractor.Collapse(text.Substring(start, length));
        return (start > 0 ? "…" : string.Empty) + snippet + (start + length < text.Length ? "…" : string.Empty);
    }
}
