using System.Net;
using System.Net.Http.Headers;
using Agents.Plugins.Resilience;
using Agents.Plugins.Security;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Agents.Plugins.Browsing;

/// <summary>
/// Reads pages over plain HTTP: fast, for static pages, PDFs and when no browser is installed. Refuses
/// non-public addresses at connect time (the address actually dialled is checked, so DNS rebinding cannot
/// slip through) and on every redirect, caps size and time, and reads only HTML, PDF and text.
/// </summary>
public sealed class HttpPageFetcher : IPageFetcher, IDisposable
{
    private readonly HttpPageFetcherOptions _options;
    private readonly UrlGuard _guard;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly HostResiliencePipelines _pipelines;

    /// <summary>Creates the fetcher with its own connection pool.</summary>
    /// <param name="options">The options; defaults when null; validated here.</param>
    /// <param name="access">Which destinations may be reached; public addresses only when null.</param>
    /// <param name="timeProvider">The clock of the time limit; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="loggerFactory">Creates the logger; none when null.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public HttpPageFetcher(HttpPageFetcherOptions? options = null, WebAccessOptions? access = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
        : this(options, new UrlGuard(access ?? new WebAccessOptions()), timeProvider, loggerFactory)
    {
    }

    internal HttpPageFetcher(HttpPageFetcherOptions? options, UrlGuard guard, TimeProvider? timeProvider, ILoggerFactory? loggerFactory)
    {
        _options = options ?? new HttpPageFetcherOptions();
        _options.Validate();
        _guard = guard;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory?.CreateLogger<HttpPageFetcher>() ?? (ILogger)NullLogger.Instance;
        var handler = GuardedConnector.CreateHandler(guard);
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _pipelines = new HostResiliencePipelines(_options.Resilience, "browse", _timeProvider, loggerFactory);
    }

    /// <inheritdoc />
    public string Name => "http";

    /// <inheritdoc />
    public async Task<FetchedPage> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var timeout = new CancellationTokenSource(_options.Timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await FetchCoreAsync(url, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new PageFetchException($"the page did not load within {_options.Timeout.TotalSeconds:0.#} s", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new PageFetchException($"the page could not be read: {ex.Message}", ex);
        }
    }

    /// <summary>The tool text of a read refused because the host's circuit is open.</summary>
    internal static string BrokenCircuitText(Uri url, BrokenCircuitException ex)
    {
        var wait = ex.RetryAfter is { } after ? $" for about {Math.Ceiling(after.TotalSeconds)} s" : string.Empty;
        return $"{url.Host} is not read{wait}: its last requests failed repeatedly (circuit open); read another site or try later";
    }

    /// <summary>Closes the connection pool.</summary>
    public void Dispose() => _http.Dispose();

    private async Task<FetchedPage> FetchCoreAsync(Uri url, CancellationToken cancellationToken)
    {
        var current = url;
        for (var hop = 0; ; hop++)
        {
            using var response = await SendHopAsync(current, hop, cancellationToken).ConfigureAwait(false);

            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                if (hop >= _guard.Options.MaxRedirects)
                {
                    throw new PageFetchException($"too many redirects (more than {_guard.Options.MaxRedirects})");
                }

                current = location.IsAbsoluteUri ? location : new Uri(current, location);
                _logger.LogDebug("redirect {Hop} to {Url}", hop + 1, current);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new PageFetchException($"the server answered HTTP {status} {response.ReasonPhrase}");
            }

            var mediaType = MediaTypes.Normalize(response.Content.Headers.ContentType?.MediaType);
            if (!MediaTypes.IsSupported(mediaType) || response.Content.Headers.ContentDisposition?.DispositionType == "attachment")
            {
                throw new PageFetchException(MediaTypes.Unsupported(mediaType));
            }

            var body = await ReadCappedAsync(response.Content, cancellationToken).ConfigureAwait(false);
            return new FetchedPage(current, status, mediaType, body);
        }
    }

    /// <summary>Sends one hop through its host's resilience pipeline.</summary>
    private async Task<HttpResponseMessage> SendHopAsync(Uri url, int hop, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipelines.ExecuteAsync(url, SendAttemptAsync, new Attempt(url, hop), cancellationToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException ex)
        {
            var text = BrokenCircuitText(url, ex);
            throw hop == 0 ? PageFetchException.Refusal(text, ex) : new PageFetchException(text, ex);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new PageFetchException($"the server did not answer within {_options.Resilience.AttemptTimeout.TotalSeconds:0.#} s (after retries)", ex);
        }
    }

    /// <summary>One attempt at one hop: the address guard checks it (every retry too), then it is sent.</summary>
    private async ValueTask<HttpResponseMessage> SendAttemptAsync(Attempt attempt, CancellationToken cancellationToken)
    {
        var first = attempt.Count++ == 0;
        if (await _guard.CheckAsync(attempt.Url, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            throw attempt.Hop == 0 && first
                ? PageFetchException.Refusal($"refused: {refusal}")
                : new PageFetchException(attempt.Hop == 0 ? $"refused: {refusal}" : $"refused a redirect to {attempt.Url}: {refusal}");
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, attempt.Url);
        request.Headers.UserAgent.ParseAdd(_options.UserAgent);
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/pdf;q=0.9,text/plain;q=0.8,*/*;q=0.1");
        return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
    }

    private async Task<byte[]> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var max = _options.MaxResponseBytes;
        if (content.Headers.ContentLength > max)
        {
            throw new PageFetchException($"the page is larger than the {max} byte limit ({content.Headers.ContentLength} bytes)");
        }

        return await CappedBody.ReadAsync(content, max, cancellationToken).ConfigureAwait(false)
            ?? throw new PageFetchException($"the page is larger than the {max} byte limit");
    }

    /// <summary>The attempts at one hop; <see cref="Count"/> tells the first from the retries.</summary>
    private sealed class Attempt(Uri url, int hop)
    {
        public Uri Url { get; } = url;

        public int Hop { get; } = hop;

        public int Count { get; set; }
    }
}
