using Agents.Plugins.Search.Local;

namespace Agents.Plugins.Search;

/// <summary>
/// Which search engine <see cref="SearchEngineFactory"/> builds: the first configured web API in the order
/// SearXNG, Brave, Tavily; otherwise the local index, so agents run offline by default.
/// </summary>
public sealed class SearchEngineOptions
{
    /// <summary>Gets or sets the SearXNG options; used when set.</summary>
    public SearxngSearchOptions? Searxng { get; set; }

    /// <summary>Gets or sets the Brave options; used when set and no SearXNG is configured.</summary>
    public BraveSearchOptions? Brave { get; set; }

    /// <summary>Gets or sets the Tavily options; used when set and neither SearXNG nor Brave is configured.</summary>
    public TavilySearchOptions? Tavily { get; set; }

    /// <summary>Gets or sets the local index options; the default engine when no web API is configured.</summary>
    public LocalIndexOptions? LocalIndex { get; set; }
}
