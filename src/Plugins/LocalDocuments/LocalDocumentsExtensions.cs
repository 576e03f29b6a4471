using Agents.Plugins.Browsing;
using Agents.Plugins.Search;

namespace Agents.Plugins.LocalDocuments;

/// <summary>Wraps a page fetcher and a search engine with the local documents virtual host.</summary>
public static class LocalDocumentsExtensions
{
    /// <summary>A fetcher that serves the local documents of <paramref name="links"/> and passes other addresses to <paramref name="fetcher"/>.</summary>
    /// <param name="fetcher">The web fetcher.</param>
    /// <param name="links">The virtual host.</param>
    /// <returns>A <see cref="LocalDocumentsPageFetcher"/> (it does not own <paramref name="fetcher"/>).</returns>
    public static IPageFetcher WithLocalDocuments(this IPageFetcher fetcher, LocalDocumentLinks links) => new LocalDocumentsPageFetcher(fetcher, links);

    /// <summary>An engine whose hits carry local document addresses instead of file paths.</summary>
    /// <param name="engine">The engine.</param>
    /// <param name="links">The virtual host.</param>
    /// <returns>A <see cref="LocalDocumentsSearchEngine"/> (it does not own <paramref name="engine"/>).</returns>
    public static ISearchEngine WithLocalDocuments(this ISearchEngine engine, LocalDocumentLinks links) => new LocalDocumentsSearchEngine(engine, links);
}
