using Agents.Plugins.Resilience;

namespace Agents.Plugins.Search;

/// <summary>Searches the web through the Brave Search API.</summary>
public sealed class BraveSearchEngine : ISearchEngine
{
    /// <summary>The longest query Brave accepts, in characters.</summary>
    internal const int MaxQueryLength = 400;

    private readonly BraveSearchOptions _options;
    private readonly SearchHttpClient _client;
    private readonly ILogger _logger;

    /// <summary>Creates the engine.</summary>
    /// <param name="httpClient">The client to send requests with (not disposed by the engine).</param>
    /// <param name="options">The options; validated here.</param>
    /// <param name="timeProvider">The clock for backoff and timeouts; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="loggerFactory">Creates the logger; none when null.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public BraveSearchEngine(HttpClient httpClient, BraveSearchOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<BraveSearchEngine>();
        _client = new SearchHttpClient(httpClient, Name, options.Resilience, timeProvider ?? TimeProvider.System, _logger);
    }

    /// <inheritdoc />
    public string Name => "brave";

    /// <inheritdoc />
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(string query, int maxResults, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        if (query.Length > MaxQueryLength)
        {
            throw new SearchEngineException(Name, $"brave accepts queries of at most {MaxQueryLength} characters; shorten the query.", null);
        }

        var count = Math.Min(maxResults, 20);
        var parameters = new List<string>
        {
            "q=" + Uri.EscapeDataString(query),
            "count=" + count.ToString(CultureInfo.InvariantCulture),
            "safesearch=" + _options.SafeSearch,
        };
        if (!string.IsNullOrWhiteSpace(_options.Country))
        {
            parameters.Add("country=" + Uri.EscapeDataString(_options.Country));
        }

        if (!string.IsNullOrWhiteSpace(_options.SearchLanguage))
        {
            parameters.Add("search_lang=" + Uri.EscapeDataString(_options.SearchLanguage));
        }

        var uri = new UriBuilder(_options.Endpoint) { Query = string.Join('&', parameters) }.Uri;
        using var json = await _client.SendAsync(
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, uri);
                request.Headers.Add("Accept", "application/json");
                request.Headers.Add("X-Subscription-Token", _options.ApiKey);
                return request;
            },
            null,
            LogRateLimit,
            cancellationToken).ConfigureAwait(false);

        var root = json.RootElement;
        var web = root.ValueKind == System.Text.Json.JsonValueKind.Object && root.TryGetProperty("web", out var w) ? w : default;
        return SearchText.ReadHits(web, "results", maxResults, "description", "page_age", _ => Name);
    }

    private void LogRateLimit(HttpResponseMessage response)
    {
        if (HttpResilience.FirstHeaderNumber(response, "X-RateLimit-Remaining") is { } remaining && remaining <= 1)
        {
            _logger.LogWarning(
                "brave: {Remaining} requests left in the current window (limit {Limit}, resets in {Reset} s)",
                remaining,
                HttpResilience.FirstHeaderNumber(response, "X-RateLimit-Limit"),
                HttpResilience.FirstHeaderNumber(response, "X-RateLimit-Reset"));
        }
    }
}
