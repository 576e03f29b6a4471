using System.Net;
using System.Net.Http.Headers;
using Agents.Plugins.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

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

    /// <summary>Creates the fetcher with its own connection pool.</summary>
    /// <param name="options">The options; defaults when null; validated here.</param>
    /// <param name="access">Which destinations may be reached; public addresses only when null.</param>
    /// <param name="timeProvider">The clock of the time limit; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">The logger; none when null.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public HttpPageFetcher(HttpPageFetcherOptions? options = null, WebAccessOptions? access = null, TimeProvider? timeProvider = null, ILogger<HttpPageFetcher>? logger = null)
        : this(options, new UrlGuard(access ?? new WebAccessOptions()), timeProvider, logger)
    {
    }

    internal HttpPageFetcher(HttpPageFetcherOptions? options, UrlGuard guard, TimeProvider? timeProvider, ILogger? logger)
    {
        _options = options ?? new HttpPageFetcherOptions();
        _options.Validate();
        _guard = guard;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        var handler = GuardedConnector.CreateHandler(guard);
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
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

    /// <summary>Closes the connection pool.</summary>
    public void Dispose() => _http.Dispose();

    private async Task<FetchedPage> FetchCoreAsync(Uri url, CancellationToken cancellationToken)
    {
        var current = url;
        for (var hop = 0; ; hop++)
        {
            if (await _guard.CheckAsync(current, cancellationToken).ConfigureAwait(false) is { } refusal)
            {
                throw hop == 0 ? PageFetchException.Refusal($"refused: {refusal}") : new PageFetchException($"refused a redirect to {current}: {refusal}");
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            request.Headers.UserAgent.ParseAdd(_options.UserAgent);
            request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/pdf;q=0.9,text/plain;q=0.8,*/*;q=0.1");
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);

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

    private async Task<byte[]> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var max = _options.MaxResponseBytes;
        if (content.Headers.ContentLength > max)
        {
            throw new PageFetchException($"the page is larger than the {max} byte limit ({content.Headers.ContentLength} bytes)");
        }

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[32 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > max)
                {
                    throw new PageFetchException($"the page is larger than the {max} byte limit");
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }
}
