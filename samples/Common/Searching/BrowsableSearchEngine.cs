using Agents.Plugins.Search;

namespace Agents.Samples.Common.Searching;

/// <summary>Wraps the local index so its hits carry addresses the <c>browse</c> tool can read (see <see cref="LocalDocumentLinks"/>).</summary>
public sealed class BrowsableSearchEngine(ISearchEngine inner, LocalDocumentLinks links) : ISearchEngine
{
    /// <inheritdoc />
    public string Name => inner.Name;

    /// <inheritdoc />
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(string query, int maxResults, CancellationToken cancellationToken)
    {
        var hits = await inner.SearchAsync(query, maxResults, cancellationToken).ConfigureAwait(false);
        return hits.Select(h => h with { Url = links.ToBrowsable(h.Url) }).ToList();
    }
}
