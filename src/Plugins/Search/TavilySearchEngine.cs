using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Agents.Plugins.Search;

/// <summary>
/// Searches the web through the Tavily API. Tavily does not understand <c>site:</c>; such operators in a
/// query are moved to <c>include_domains</c> (and <c>-site:</c> to <c>exclude_domains</c>).
/// </summary>
public sealed partial class TavilySearchEngine : ISearchEngine
{
    private readonly TavilySearchOptions _options;
    private readonly SearchHttpClient _client;

    /// <summary>Creates the engine.</summary>
    /// <param name="httpClient">The client to send requests with (not disposed by the engine).</param>
    /// <param name="options">The options; validated here.</param>
    /// <param name="timeProvider">The clock for backoff and timeouts; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="loggerFactory">Creates the logger; none when null.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public TavilySearchEngine(HttpClient httpClient, TavilySearchOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _client = new SearchHttpClient(httpClient, Name, options.Resilience, timeProvider ?? TimeProvider.System, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<TavilySearchEngine>());
    }

    /// <inheritdoc />
    public string Name => "tavily";

    /// <inheritdoc />
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(string query, int maxResults, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);

        var (text, include, exclude) = SplitSiteOperators(query);
        if (text.Length == 0)
        {
            throw new SearchEngineException(Name, "the query holds only site: operators; add search words.", null);
        }

        var body = new Dictionary<string, object>
        {
            ["query"] = text,
            ["search_depth"] = _options.SearchDepth,
            ["topic"] = _options.Topic,
            ["max_results"] = Math.Min(maxResults, 20),
            ["include_answer"] = false,
            ["include_raw_content"] = false,
        };
        if (include.Count > 0)
        {
            body["include_domains"] = include;
        }

        if (exclude.Count > 0)
        {
            body["exclude_domains"] = exclude;
        }

        var payload = JsonSerializer.Serialize(body);
        using var json = await _client.SendAsync(
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, _options.Endpoint)
                {
                    Content = new StringContent(payload, Encoding.UTF8, "application/json"),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
                return request;
            },
            null,
            null,
            cancellationToken).ConfigureAwait(false);

        return SearchText.ReadHits(json.RootElement, "results", maxResults, "content", "published_date", _ => Name);
    }

    /// <summary>Moves <c>site:</c> and <c>-site:</c> operators out of the query text.</summary>
    internal static (string Text, List<string> Include, List<string> Exclude) SplitSiteOperators(string query)
    {
        var include = new List<string>();
        var exclude = new List<string>();
        var text = SiteOperator().Replace(query, m =>
        {
            var domain = m.Groups["domain"].Value.Trim().TrimEnd('/');
            (m.Groups["neg"].Success ? exclude : include).Add(domain);
            return " ";
        });
        return (string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries)), include, exclude);
    }

    [GeneratedRegex(@"(?<neg>-)?\bsite:(?<domain>[^\s]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SiteOperator();
}
