using Agents.Plugins.Search;

namespace Agents.Plugins.LocalDocuments;

/// <summary>
/// Wraps a search engine so that its hits carry addresses the <c>browse</c> tool can read and never a server path:
/// a <c>file:</c> URL inside the documents folder becomes its local document address
/// (<see cref="LocalDocumentLinks.ToBrowsable"/>), a hit with a <c>file:</c> URL outside the folder is dropped, and
/// the folder's absolute path is removed from titles and snippets.
/// </summary>
/// <remarks>Thread-safe when the wrapped engine is. It does not own (or dispose) the wrapped engine.</remarks>
public sealed class LocalDocumentsSearchEngine : ISearchEngine
{
    private readonly ISearchEngine _inner;
    private readonly LocalDocumentLinks _links;

    /// <summary>Creates the wrapper.</summary>
    /// <param name="inner">The engine, typically a <see cref="Search.Local.LocalIndexSearchEngine"/> over the same folder.</param>
    /// <param name="links">The virtual host.</param>
    public LocalDocumentsSearchEngine(ISearchEngine inner, LocalDocumentLinks links)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(links);
        _inner = inner;
        _links = links;
    }

    /// <inheritdoc />
    public string Name => _inner.Name;

    /// <inheritdoc />
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(string query, int maxResults, CancellationToken cancellationToken)
    {
        var hits = await _inner.SearchAsync(query, maxResults, cancellationToken).ConfigureAwait(false);
        var browsable = new List<SearchHit>(hits.Count);
        foreach (var hit in hits)
        {
            if (_links.ToBrowsable(hit.Url) is { } url)
            {
                browsable.Add(hit with { Url = url, Title = _links.Scrub(hit.Title), Snippet = _links.Scrub(hit.Snippet) });
            }
        }

        return browsable;
    }
}
