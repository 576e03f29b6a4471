using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace Agents.Plugins.Memory;

/// <summary>
/// An in-memory Lucene index over the workspace notes. Built on first use by one scan of the workspace, then
/// kept current by <see cref="Update"/> on every write that goes through the workspace.
/// </summary>
internal sealed class NoteSearchIndex : IDisposable
{
    private const string PathField = "path";
    private const string ContentField = "content";
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;

    private readonly System.Threading.Lock _gate = new();
    private readonly RAMDirectory _directory = new();
    private readonly Analyzer _analyzer = new StandardAnalyzer(Version);
    private IndexWriter? _writer;
    private SearcherManager? _searcherManager;
    private bool _dirty;

    public bool IsBuilt
    {
        get
        {
            lock (_gate)
            {
                return _writer is not null;
            }
        }
    }

    /// <summary>Builds the index from the given notes unless it is built already.</summary>
    public void EnsureBuilt(Func<IEnumerable<(string Path, string Content)>> notes)
    {
        lock (_gate)
        {
            if (_writer is not null)
            {
                return;
            }

            var writer = new IndexWriter(_directory, new IndexWriterConfig(Version, _analyzer) { OpenMode = OpenMode.CREATE });
            foreach (var (path, content) in notes())
            {
                writer.AddDocument(CreateDocument(path, content));
            }

            writer.Commit();
            _writer = writer;
            _searcherManager = new SearcherManager(writer, applyAllDeletes: true, searcherFactory: null);
        }
    }

    /// <summary>Replaces the note at <paramref name="path"/>; a <see langword="null"/> content removes it.</summary>
    public void Update(string path, string? content)
    {
        lock (_gate)
        {
            if (_writer is null)
            {
                return; // Not built yet: the first search scans the workspace.
            }

            if (content is null)
            {
                _writer.DeleteDocuments(new Term(PathField, path));
            }
            else
            {
                _writer.UpdateDocument(new Term(PathField, path), CreateDocument(path, content));
            }

            _dirty = true;
        }
    }

    public IReadOnlyList<(string Path, float Score)> Search(string query, int top, string? pathPrefix)
    {
        IndexSearcher searcher;
        SearcherManager manager;
        lock (_gate)
        {
            manager = _searcherManager ?? throw new InvalidOperationException("The index is not built.");
            if (_dirty)
            {
                manager.MaybeRefreshBlocking();
                _dirty = false;
            }

            searcher = manager.Acquire();
        }

        try
        {
            var parsed = Parse(query);
            var filter = string.IsNullOrEmpty(pathPrefix) ? null : new PrefixFilter(new Term(PathField, pathPrefix));
            var docs = searcher.Search(parsed, filter, top);
            var results = new List<(string, float)>(docs.ScoreDocs.Length);
            foreach (var scoreDoc in docs.ScoreDocs)
            {
                results.Add((searcher.Doc(scoreDoc.Doc).Get(PathField, System.Globalization.CultureInfo.InvariantCulture), scoreDoc.Score));
            }

            return results;
        }
        finally
        {
            manager.Release(searcher);
        }
    }

    /// <summary>Returns the lower-cased terms the analyzer finds in <paramref name="query"/>, for snippets.</summary>
    public IReadOnlyList<string> Terms(string query)
    {
        var terms = new List<string>();
        using var stream = _analyzer.GetTokenStream(ContentField, query);
        var attribute = stream.AddAttribute<Lucene.Net.Analysis.TokenAttributes.ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            terms.Add(attribute.ToString());
        }

        stream.End();
        return terms;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _searcherManager?.Dispose();
            _writer?.Dispose();
            _writer = null;
            _searcherManager = null;
            _analyzer.Dispose();
            _directory.Dispose();
        }
    }

    private Query Parse(string query)
    {
        var parser = new QueryParser(Version, ContentField, _analyzer) { DefaultOperator = Operator.OR };
        try
        {
            return parser.Parse(query);
        }
        catch (ParseException)
        {
            return parser.Parse(QueryParserBase.Escape(query));
        }
    }

    private static Document CreateDocument(string path, string content) =>
    [
        new StringField(PathField, path, Field.Store.YES),
        new TextField(ContentField, content, Field.Store.NO),
    ];
}
