using System.Net;
using System.Text.Json;

namespace Agents.Plugins.Search;

/// <summary>Searches a self-hosted SearXNG instance through its JSON API (<c>/search?format=json</c>).</summary>
public sealed class SearxngSearchEngine : ISearchEngine
{
    private readonly SearxngSearchOptions _options;
    private readonly SearchHttpClient _client;
    private readonly ILogger _logger;

    /// <summary>Creates the engine.</summary>
    /// <param name="httpClient">The client to send requests with (not disposed by the engine).</param>
    /// <param name="options">The options; validated here.</param>
    /// <param name="timeProvider">The clock for backoff and timeouts; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="loggerFactory">Creates the logger; none when null.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public SearxngSearchEngine(HttpClient httpClient, SearxngSearchOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SearxngSearchEngine>();
        _client = new SearchHttpClient(httpClient, Name, options.Resilience, timeProvider ?? TimeProvider.System, _logger);
    }

    /// <inheritdoc />
    public string Name => "searxng";

    /// <inheritdoc />
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(string query, int maxResults, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);

        var parameters = new List<string> { "q=" + Uri.EscapeDataString(query), "format=json", "pageno=1", "safesearch=" + _options.SafeSearch.ToString(CultureInfo.InvariantCulture) };
        AddIfSet(parameters, "categories", _options.Categories);
        AddIfSet(parameters, "engines", _options.Engines);
        AddIfSet(parameters, "language", _options.Language);
        var uri = new Uri(_options.BaseAddress!, "search?" + string.Join('&', parameters));

        using var json = await _client.SendAsync(
            () => new HttpRequestMessage(HttpMethod.Get, uri) { Headers = { { "Accept", "application/json" } } },
            response => response.StatusCode == HttpStatusCode.Forbidden
                ? "searxng refused the JSON API (HTTP 403): enable 'json' in search.formats of the instance's settings.yml."
                : null,
            null,
            cancellationToken).ConfigureAwait(false);

        var root = json.RootElement;
        var hits = SearchText.ReadHits(root, "results", maxResults, "content", "publishedDate", item => SearchText.GetString(item, "engine") is { } engine ? $"{Name}:{engine}" : Name);
        if (hits.Count == 0)
        {
            var unresponsive = SearchText.GetArray(root, "unresponsive_engines")
                .Select(e => e.ValueKind == JsonValueKind.Array && e.GetArrayLength() > 0 ? $"{e[0]} ({(e.GetArrayLength() > 1 ? e[1].ToString() : "?")})" : e.ToString())
                .ToList();
            if (unresponsive.Count > 0)
            {
                _logger.LogWarning("searxng: no results; unresponsive engines: {Engines}", string.Join(", ", unresponsive));
                throw new SearchEngineException(Name, $"searxng returned no results because its upstream engines did not answer ({string.Join(", ", unresponsive)}); they are probably throttled, try again later.", HttpStatusCode.OK);
            }
        }

        return hits;
    }

    private static void AddIfSet(List<string> parameters, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            parameters.Add(name + "=" + Uri.EscapeDataString(value));
        }
    }
}
