using System.Net;
using System.Text.Json;
using Agents.Plugins.Browsing;
using Agents.Plugins.Resilience;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace Agents.Plugins.Search;

/// <summary>Sends search API requests through one provider's resilience pipeline and parses JSON answers.</summary>
internal sealed class SearchHttpClient
{
    internal const int MaxResponseBytes = 8 * 1024 * 1024;

    private readonly HttpClient _http;
    private readonly string _engine;
    private readonly SearchResilienceOptions _options;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public SearchHttpClient(HttpClient http, string engine, SearchResilienceOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _http = http;
        _engine = engine;
        _options = options;
        _logger = logger;
        _pipeline = BuildPipeline(options, timeProvider, logger, engine);
    }

    /// <summary>Sends a request built fresh for each attempt and returns the parsed JSON of a 2xx answer.</summary>
    /// <param name="createRequest">Builds the request.</param>
    /// <param name="describeStatus">Turns a provider-specific failure status into a message, or null for the default.</param>
    /// <param name="onResponse">Sees every final response (for example to log rate-limit headers).</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    public async Task<JsonDocument> SendAsync(
        Func<HttpRequestMessage> createRequest,
        Func<HttpResponseMessage, string?>? describeStatus,
        Action<HttpResponseMessage>? onResponse,
        CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _pipeline.ExecuteAsync(
                static async (state, ct) =>
                {
                    using var request = state.createRequest();
                    return await state._http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
                },
                (createRequest, _http),
                cancellationToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException ex)
        {
            var wait = ex.RetryAfter is { } after ? $" for about {Math.Ceiling(after.TotalSeconds)} s" : string.Empty;
            throw new SearchEngineException(_engine, $"{_engine} is temporarily disabled{wait} after repeated failures; try again later or use fewer queries.", null, ex);
        }
        catch (RateLimiterRejectedException ex)
        {
            throw new SearchEngineException(_engine, $"{_engine} has too many searches waiting; send fewer queries at once.", null, ex);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new SearchEngineException(_engine, $"{_engine} did not answer within {_options.AttemptTimeout.TotalSeconds:0.#} s (after retries).", null, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new SearchEngineException(_engine, $"{_engine} could not be reached: {ex.Message}", ex.StatusCode, ex);
        }

        using (response)
        {
            onResponse?.Invoke(response);
            if (!response.IsSuccessStatusCode)
            {
                var message = describeStatus?.Invoke(response) ?? DescribeStatus(response);
                throw new SearchEngineException(_engine, message, response.StatusCode);
            }

            var body = await CappedBody.ReadAsync(response.Content, MaxResponseBytes, cancellationToken).ConfigureAwait(false)
                ?? throw new SearchEngineException(_engine, $"{_engine} answered with more than {MaxResponseBytes} bytes.", response.StatusCode);
            try
            {
                using var stream = new MemoryStream(body, writable: false);
                return await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException ex)
            {
                throw new SearchEngineException(_engine, $"{_engine} answered with malformed JSON ({ex.Message}).", response.StatusCode, ex);
            }
        }
    }

    private string DescribeStatus(HttpResponseMessage response)
    {
        var code = (int)response.StatusCode;
        return response.StatusCode switch
        {
            HttpStatusCode.TooManyRequests => $"{_engine} is rate limiting searches (HTTP 429){HttpResilience.RetryAfterText(response)}; wait or send fewer queries.",
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => $"{_engine} refused the API key (HTTP {code}); check the configured key.",
            _ when code >= 500 => $"{_engine} failed with HTTP {code} {response.ReasonPhrase} (after retries).",
            _ => $"{_engine} rejected the query with HTTP {code} {response.ReasonPhrase}.",
        };
    }

    private static ResiliencePipeline<HttpResponseMessage> BuildPipeline(SearchResilienceOptions options, TimeProvider timeProvider, ILogger logger, string engine)
        => new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider, Name = engine }
            .AddConcurrencyLimiter(options.MaxConcurrentRequests, options.QueueLimit)
            .AddHttpResilience(options, timeProvider, logger, engine)
            .Build();
}
