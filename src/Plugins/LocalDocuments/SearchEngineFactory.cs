using Agents.Plugins.Search.Local;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Agents.Plugins.Search;

/// <summary>Builds the configured <see cref="ISearchEngine"/>; see <see cref="SearchEngineOptions"/> for the order.</summary>
public static class SearchEngineFactory
{
    /// <summary>Creates the engine the options select.</summary>
    /// <param name="options">Which engine to build.</param>
    /// <param name="httpClient">The client web engines send with (not disposed by them).</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="loggerFactory">Creates the engine's logger; none when null.</param>
    /// <returns>The engine. A <see cref="LocalIndexSearchEngine"/> is <see cref="IDisposable"/>; dispose it when done.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">Nothing is configured, or the selected options are invalid (the message names the option).</exception>
    public static ISearchEngine Create(SearchEngineOptions options, HttpClient httpClient, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClient);
        loggerFactory ??= NullLoggerFactory.Instance;
        if (options.Searxng is { } searxng)
        {
            return new SearxngSearchEngine(httpClient, searxng, timeProvider, loggerFactory);
        }

        if (options.Brave is { } brave)
        {
            return new BraveSearchEngine(httpClient, brave, timeProvider, loggerFactory);
        }

        if (options.Tavily is { } tavily)
        {
            return new TavilySearchEngine(httpClient, tavily, timeProvider, loggerFactory);
        }

        if (options.LocalIndex is { } local)
        {
            return new LocalIndexSearchEngine(local, timeProvider, loggerFactory);
        }

        throw new Microsoft.Extensions.Options.OptionsValidationException(nameof(SearchEngineOptions), typeof(SearchEngineOptions), [$"{nameof(SearchEngineOptions)}: configure one of {nameof(SearchEngineOptions.Searxng)}, {nameof(SearchEngineOptions.Brave)}, {nameof(SearchEngineOptions.Tavily)} or {nameof(SearchEngineOptions.LocalIndex)} (a folder of documents for offline search)."]);
    }
}
