using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Agents.Plugins.Resilience;
using Agents.Plugins.Security;
using Microsoft.Playwright;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Agents.Plugins.Browsing;

/// <summary>
/// Reads pages with a real browser for one agent: an isolated browser context with a pool of reusable
/// pages, so pages that need JavaScript render. Chromium itself opens no connections: every request the
/// page makes (navigations, subresources, redirect hops) is checked by the address guard and then served by
/// this fetcher's own HTTP client, which dials only the addresses the guard checked for that host during
/// this read (resolved once per host and read, so DNS rebinding cannot move a later request elsewhere), and
/// the answer is handed to Chromium. Redirects are followed by the fetcher, hop by hop, each hop checked
/// before anything connects to it; Chromium is never shown one. PDFs and other non-HTML main documents are
/// captured instead of downloaded. Create it with <see cref="PlaywrightBrowser.CreateFetcherAsync"/>.
/// </summary>
public sealed class PlaywrightPageFetcher : IPageFetcher, IAsyncDisposable
{
    private const string Placeholder = "<!doctype html><html><head><title></title></head><body></body></html>";

    /// <summary>
    /// Request headers Chromium's request is not forwarded with: hop-by-hop and framing headers (the client sets
    /// its own), conditional ones (a 304 would need Chromium's cache) and encodings the client decodes itself.
    /// </summary>
    private static readonly HashSet<string> DroppedRequestHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "host", "connection", "keep-alive", "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding",
        "upgrade", "content-length", "accept-encoding", "cookie", "if-none-match", "if-modified-since", "if-match",
        "if-unmodified-since", "if-range",
    };

    /// <summary>Response headers not handed to Chromium: framing (the body is handed over decoded and whole), cookies and protocol hints.</summary>
    private static readonly HashSet<string> DroppedResponseHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "connection", "keep-alive", "proxy-authenticate", "proxy-connection", "trailer", "transfer-encoding", "upgrade",
        "content-encoding", "content-length", "set-cookie", "alt-svc",
    };

    private readonly IBrowserContext _context;
    private readonly UrlGuard _guard;
    private readonly PlaywrightBrowserOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentBag<PooledPage> _idle = [];
    private readonly HttpClient _http;
    private readonly HostResiliencePipelines _pipelines;
    private bool _disposed;

    internal PlaywrightPageFetcher(IBrowserContext context, UrlGuard guard, PlaywrightBrowserOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        _context = context;
        _guard = guard;
        _options = options;
        _timeProvider = timeProvider;
        _logger = loggerFactory.CreateLogger<PlaywrightPageFetcher>();
        _slots = new SemaphoreSlim(options.MaxPagesPerAgent, options.MaxPagesPerAgent);

        // Chromium decompresses nothing it is handed, so the client does it; no cookies, no proxy, no redirects.
        _http = new HttpClient(GuardedConnector.CreateHandler(guard)) { Timeout = Timeout.InfiniteTimeSpan };
        _pipelines = new HostResiliencePipelines(options.Resilience, "chromium", timeProvider, loggerFactory);
    }

    /// <inheritdoc />
    public string Name => "chromium";

    /// <inheritdoc />
    public async Task<FetchedPage> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var read = new PageRead(_guard);
        if ((await read.CheckAsync(url, cancellationToken).ConfigureAwait(false)).Refusal is { } refusal)
        {
            throw PageFetchException.Refusal($"refused: {refusal}");
        }

        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        PooledPage? pooled = null;
        var healthy = false;
        try
        {
            pooled = _idle.TryTake(out var idle) ? idle : await NewPageAsync().ConfigureAwait(false);
            var result = await NavigateAsync(pooled, read, url, cancellationToken).ConfigureAwait(false);
            healthy = true;
            return result;
        }
        catch (PageFetchException)
        {
            healthy = true;
            throw;
        }
        finally
        {
            if (pooled is not null)
            {
                if (healthy && !_disposed && !pooled.Page.IsClosed)
                {
                    _idle.Add(pooled);
                }
                else
                {
                    await ClosePageAsync(pooled).ConfigureAwait(false);
                }
            }

            _slots.Release();
        }
    }

    /// <summary>Closes the agent's browser context and its pages.</summary>
    /// <returns>A task that completes when the context is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            await _context.CloseAsync().ConfigureAwait(false);
        }
        finally
        {
            _http.Dispose();
        }
    }

    private async Task<PooledPage> NewPageAsync()
    {
        var page = await _context.NewPageAsync().ConfigureAwait(false);
        var pooled = new PooledPage(page);
        page.Download += (_, download) => _ = download.CancelAsync();
        await page.RouteAsync("**/*", route => RouteAsync(pooled, route)).ConfigureAwait(false);
        return pooled;
    }

    private async Task<FetchedPage> NavigateAsync(PooledPage pooled, PageRead read, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            return await NavigateCoreAsync(pooled, read, url, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Only the navigation's own time limit cancels without the caller (a slow lookup of a redirect target, ...).
            throw new PageFetchException($"the page did not load within {_options.NavigationTimeout.TotalSeconds:0.#} s", ex);
        }
        finally
        {
            // Whatever the page still asks for after the read (timers, late scripts) is refused.
            pooled.End();
        }
    }

    private async Task<FetchedPage> NavigateCoreAsync(PooledPage pooled, PageRead read, Uri url, CancellationToken cancellationToken)
    {
        var page = pooled.Page;
        using var timeout = new CancellationTokenSource(_options.NavigationTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var current = url;
        IResponse? response = null;
        NavigationState state;
        for (var hop = 0; ; hop++)
        {
            state = pooled.Begin(read, hop, linked.Token);
            try
            {
                response = await page.GotoAsync(current.AbsoluteUri, new PageGotoOptions
                {
                    WaitUntil = WaitUntilState.Load,
                    Timeout = (float)_options.NavigationTimeout.TotalMilliseconds,
                }).WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is PlaywrightException or OperationCanceledException or TimeoutException)
            {
                if (state.Refusal is null && state.RedirectTo is null)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (ex is TimeoutException || timeout.IsCancellationRequested)
                    {
                        throw new PageFetchException($"the page did not load within {_options.NavigationTimeout.TotalSeconds:0.#} s", ex);
                    }

                    throw new PageFetchException($"the page could not be loaded: {FirstLine(ex.Message)}", ex);
                }
            }

            if (state.Refusal is { } refusal)
            {
                throw new PageFetchException(refusal);
            }

            if (state.RedirectTo is not { } next)
            {
                break;
            }

            // Each redirect is a fresh, routed navigation. Its target is checked here, before Chromium is
            // told about it: a navigation Chromium starts may open a connection (a preconnect) on its own.
            if (hop >= _guard.Options.MaxRedirects)
            {
                throw new PageFetchException($"too many redirects (more than {_guard.Options.MaxRedirects})");
            }

            if ((await read.CheckAsync(next, linked.Token).ConfigureAwait(false)).Refusal is { } hopRefusal)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new PageFetchException($"refused a redirect to {next}: {hopRefusal}");
            }

            current = next;
        }

        var finalUrl = state.FinalUrl ?? new Uri(page.Url);
        var status = state.Status ?? response?.Status ?? 200;
        if (status >= 400)
        {
            throw new PageFetchException($"the server answered HTTP {status}");
        }

        if (state.CapturedBody is { } body)
        {
            return new FetchedPage(finalUrl, status, state.MediaType!, body);
        }

        if (_options.NetworkIdleTimeout > TimeSpan.Zero)
        {
            try
            {
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new PageWaitForLoadStateOptions { Timeout = (float)_options.NetworkIdleTimeout.TotalMilliseconds })
                    .WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                _logger.LogDebug("{Url} kept the network busy; reading it as it is", url);
            }
        }

        var html = await page.ContentAsync().WaitAsync(linked.Token).ConfigureAwait(false);
        if (html.Length > _options.MaxRenderedCharacters)
        {
            html = html[.._options.MaxRenderedCharacters];
        }

        return new FetchedPage(new Uri(page.Url), status, state.MediaType ?? MediaTypes.Html, Encoding.UTF8.GetBytes(html));
    }

    private async Task RouteAsync(PooledPage pooled, IRoute route)
    {
        var state = pooled.Current;
        var request = route.Request;
        var isMainDocument = false;
        try
        {
            isMainDocument = request.IsNavigationRequest && request.Frame.ParentFrame is null;
            if (state.Read is not { } read || !Uri.TryCreate(request.Url, UriKind.Absolute, out var uri))
            {
                // Outside a read (a late timer of a finished page) or not a URL: nothing leaves the browser.
                await route.AbortAsync("blockedbyclient").ConfigureAwait(false);
                return;
            }

            var check = await read.CheckAsync(uri, state.Cancellation).ConfigureAwait(false);
            if (check.Refusal is { } refusal)
            {
                if (isMainDocument)
                {
                    state.Refusal ??= state.Hop == 0 ? $"refused: {refusal}" : $"refused a redirect to {uri}: {refusal}";
                }

                _logger.LogInformation("blocked request to {Url}: {Reason}", uri, refusal);
                await route.AbortAsync("blockedbyclient").ConfigureAwait(false);
                return;
            }

            var outgoing = new OutgoingRequest(new HttpMethod(request.Method), request.Headers, request.PostDataBuffer);
            using var response = await SendAsync(uri, check, outgoing, state.Cancellation).ConfigureAwait(false);
            if (isMainDocument)
            {
                await ServeMainDocumentAsync(route, state, uri, response).ConfigureAwait(false);
            }
            else
            {
                await ServeSubresourceAsync(route, state, read, uri, outgoing, response).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException or HttpRequestException or IOException)
        {
            // The page was closed or navigated away meanwhile, or the request failed; the navigation reports it.
            _logger.LogDebug(ex, "routing {Url} failed", request.Url);
            if (isMainDocument)
            {
                state.Refusal ??= ex is TimeoutException || ex.Message.Contains("Timeout", StringComparison.OrdinalIgnoreCase)
                    ? $"the page did not load within {_options.NavigationTimeout.TotalSeconds:0.#} s"
                    : $"the page could not be loaded: {FirstLine(ex.Message)}";
            }

            await TryAbortAsync(route).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await TryAbortAsync(route).ConfigureAwait(false);
        }
    }

    private async Task ServeMainDocumentAsync(IRoute route, NavigationState state, Uri uri, HttpResponseMessage response)
    {
        // A redirect is never shown to Chromium (it would follow it without routing the next hop): the
        // navigation loop checks the target and then navigates to it afresh.
        if (Location(response, uri) is { } next)
        {
            state.RedirectTo = next;
            await route.AbortAsync("aborted").ConfigureAwait(false);
            return;
        }

        var status = (int)response.StatusCode;
        var mediaType = MediaTypes.Normalize(response.Content.Headers.ContentType?.ToString());
        state.FinalUrl = uri;
        state.Status = status;
        state.MediaType = mediaType;
        var disposition = response.Content.Headers.ContentDisposition?.DispositionType ?? string.Empty;
        if (!MediaTypes.IsSupported(mediaType) || disposition.Equals("attachment", StringComparison.OrdinalIgnoreCase))
        {
            state.Refusal ??= MediaTypes.Unsupported(mediaType);
            await route.AbortAsync("blockedbyclient").ConfigureAwait(false);
            return;
        }

        var body = await ReadCappedAsync(response.Content, state.Cancellation).ConfigureAwait(false);
        if (body is null)
        {
            state.Refusal ??= $"the page is larger than the {_options.MaxResponseBytes} byte limit";
            await route.AbortAsync("blockedbyclient").ConfigureAwait(false);
            return;
        }

        if (MediaTypes.IsHtml(mediaType))
        {
            await route.FulfillAsync(new RouteFulfillOptions { Status = status, Headers = ResponseHeaders(response), BodyBytes = body }).ConfigureAwait(false);
            return;
        }

        // PDF and text: capture the bytes and show the browser an empty page instead (never a download).
        state.CapturedBody = body;
        await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/html", Body = Placeholder }).ConfigureAwait(false);
    }

    private async Task ServeSubresourceAsync(IRoute route, NavigationState state, PageRead read, Uri uri, OutgoingRequest outgoing, HttpResponseMessage first)
    {
        var response = first;
        try
        {
            // Redirects of subresources are followed here, each hop checked before it is dialled.
            for (var hops = 0; Location(response, uri) is { } next; hops++)
            {
                var check = await read.CheckAsync(next, state.Cancellation).ConfigureAwait(false);
                if (hops >= _guard.Options.MaxRedirects || check.Refusal is not null)
                {
                    _logger.LogInformation("blocked redirect of {Url} to {Next}: {Reason}", uri, next, check.Refusal ?? "too many redirects");
                    await route.AbortAsync("blockedbyclient").ConfigureAwait(false);
                    return;
                }

                outgoing = outgoing.Redirected((int)response.StatusCode);
                var following = await SendAsync(next, check, outgoing, state.Cancellation).ConfigureAwait(false);
                if (!ReferenceEquals(response, first))
                {
                    response.Dispose();
                }

                response = following;
                uri = next;
            }

            var body = await ReadCappedAsync(response.Content, state.Cancellation).ConfigureAwait(false);
            if (body is null)
            {
                _logger.LogInformation("blocked {Url}: larger than {Limit} bytes", uri, _options.MaxResponseBytes);
                await route.AbortAsync("blockedbyclient").ConfigureAwait(false);
                return;
            }

            await route.FulfillAsync(new RouteFulfillOptions { Status = (int)response.StatusCode, Headers = ResponseHeaders(response), BodyBytes = body }).ConfigureAwait(false);
        }
        finally
        {
            if (!ReferenceEquals(response, first))
            {
                response.Dispose();
            }
        }
    }

    /// <summary>
    /// Sends one request, never following a redirect, dialling only the addresses of <paramref name="check"/>; GET and HEAD
    /// go through the host's resilience pipeline (every retry dials the same checked addresses).
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(Uri uri, UrlCheck check, OutgoingRequest outgoing, CancellationToken cancellationToken)
    {
        if (outgoing.Method != HttpMethod.Get && outgoing.Method != HttpMethod.Head)
        {
            return await SendOnceAsync((uri, check, outgoing), cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await _pipelines.ExecuteAsync(uri, SendOnceAsync, (uri, check, outgoing), cancellationToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException ex)
        {
            throw new HttpRequestException(HttpPageFetcher.BrokenCircuitText(uri, ex), ex);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new HttpRequestException($"the server did not answer within {_options.Resilience.AttemptTimeout.TotalSeconds:0.#} s (after retries)", ex);
        }
    }

    private async ValueTask<HttpResponseMessage> SendOnceAsync((Uri Uri, UrlCheck Check, OutgoingRequest Outgoing) request, CancellationToken cancellationToken)
    {
        var (uri, check, outgoing) = request;
        using var message = new HttpRequestMessage(outgoing.Method, uri);
        if (outgoing.Body is { } body && outgoing.Method != HttpMethod.Get && outgoing.Method != HttpMethod.Head)
        {
            message.Content = new ByteArrayContent(body);
        }

        foreach (var (name, value) in outgoing.Headers)
        {
            if (DroppedRequestHeaders.Contains(name))
            {
                continue;
            }

            if (name.StartsWith("content-", StringComparison.OrdinalIgnoreCase))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, value);
            }
            else
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        message.Options.Set(GuardedConnector.PinnedAddresses, check.Addresses);
        return await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a body up to <see cref="PlaywrightBrowserOptions.MaxResponseBytes"/>; null when it is larger.</summary>
    private Task<byte[]?> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken) =>
        CappedBody.ReadAsync(content, _options.MaxResponseBytes, cancellationToken);

    private static Dictionary<string, string> ResponseHeaders(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!DroppedResponseHeaders.Contains(name))
            {
                headers[name] = string.Join(", ", values);
            }
        }

        return headers;
    }

    private static Uri? Location(HttpResponseMessage response, Uri current)
        => (int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location
            ? (location.IsAbsoluteUri ? location : new Uri(current, location))
            : null;

    private static async Task TryAbortAsync(IRoute route)
    {
        try
        {
            await route.AbortAsync("failed").ConfigureAwait(false);
        }
        catch (PlaywrightException)
        {
            // Already handled or the page is gone.
        }
    }

    private async Task ClosePageAsync(PooledPage pooled)
    {
        try
        {
            await pooled.Page.CloseAsync().ConfigureAwait(false);
        }
        catch (PlaywrightException ex)
        {
            _logger.LogDebug(ex, "closing a page failed");
        }
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOf('\n', StringComparison.Ordinal);
        return (end < 0 ? message : message[..end]).Trim();
    }

    private sealed class PooledPage(IPage page)
    {
        public IPage Page { get; } = page;

        /// <summary>Gets the state of the navigation under way; outside a read it has no <see cref="NavigationState.Read"/>.</summary>
        public NavigationState Current { get; private set; } = new();

        public NavigationState Begin(PageRead read, int hop, CancellationToken cancellationToken)
            => Current = new NavigationState { Read = read, Hop = hop, Cancellation = cancellationToken };

        public void End() => Current = new NavigationState();
    }

    /// <summary>
    /// One page read: the guard's verdict on each host, resolved once and pinned for every request of the read,
    /// so a later DNS answer cannot move a request of the same read to another address.
    /// </summary>
    private sealed class PageRead(UrlGuard guard)
    {
        private readonly ConcurrentDictionary<string, Lazy<Task<UrlCheck>>> _hosts = new(StringComparer.OrdinalIgnoreCase);

        public async Task<UrlCheck> CheckAsync(Uri uri, CancellationToken cancellationToken)
        {
            if (guard.CheckSyntax(uri) is { } reason)
            {
                return UrlCheck.Refused(reason);
            }

            var host = uri.IdnHost;
            var lazy = _hosts.GetOrAdd(host, h => new Lazy<Task<UrlCheck>>(() => guard.CheckHostAsync(h, uri.Host, cancellationToken)));
            var check = await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            return check;
        }
    }

    /// <summary>What Chromium asked for, to send again on a redirect hop.</summary>
    private sealed record OutgoingRequest(HttpMethod Method, IEnumerable<KeyValuePair<string, string>> Headers, byte[]? Body)
    {
        /// <summary>The request of the next hop: 303, and 301/302 after a POST, become a GET without a body; credentials are not carried along.</summary>
        public OutgoingRequest Redirected(int status)
        {
            var toGet = status == 303 || (status is 301 or 302 && Method == HttpMethod.Post);
            var headers = Headers.Where(h => !h.Key.Equals("authorization", StringComparison.OrdinalIgnoreCase)
                && !(toGet && h.Key.StartsWith("content-", StringComparison.OrdinalIgnoreCase))).ToArray();
            return toGet ? new OutgoingRequest(HttpMethod.Get, headers, null) : this with { Headers = headers };
        }
    }

    private sealed class NavigationState
    {
        public PageRead? Read { get; init; }

        public CancellationToken Cancellation { get; init; }

        public int Hop { get; init; }

        public Uri? RedirectTo { get; set; }

        public string? Refusal { get; set; }

        public Uri? FinalUrl { get; set; }

        public int? Status { get; set; }

        public string? MediaType { get; set; }

        public byte[]? CapturedBody { get; set; }
    }
}
