namespace Agents.Plugins.Search;

/// <summary>A search provider: a web search API or a local index.</summary>
/// <remarks>Implementations are safe to call concurrently.</remarks>
public interface ISearchEngine
{
    /// <summary>Gets a short name for the engine, used in logs and tool output, for example <c>searxng</c>.</summary>
    string Name { get; }

    /// <summary>Runs one query.</summary>
    /// <param name="query">The query text as the model wrote it (it may hold <c>site:</c> operators).</param>
    /// <param name="maxResults">The most results wanted; engines may return fewer.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>The hits, best first.</returns>
    /// <exception cref="SearchEngineException">The engine failed; the message says why in words a model can act on.</exception>
    Task<IReadOnlyList<SearchHit>> SearchAsync(string query, int maxResults, CancellationToken cancellationToken);
}
