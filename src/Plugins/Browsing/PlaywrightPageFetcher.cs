using System.Collections.Concurrent;
using System.Text;
using Agents.Plugins.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Agents.Plugins.Browsing;

/// <summary>
/// Reads pages with a real browser for one agent: an isolated browser context with a pool of reusable
/// pages, so pages that need JavaScript render. Every request the page makes is routed through the
/// address guard; the main document of each navigation is fetched hop by hop so that every redirect is
/// checked too. PDFs and other non-HTML main documents are captured instead of downloaded. Create it with
/// <see cref="PlaywrightBrowser.CreateFetcherAsync"/>.
/// </summary>
public sealed class PlaywrightPageFetcher : IPageFetcher, IAsyncDisposable
{
    private const string Placeholder = "<!doctype html><html><head><title></title></head><body></body></html>";

    private readonly IBrowserContext _context;
    private readonly UrlGuard _guard;
    private readonly PlaywrightBrowserOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentBag<PooledPage> _idle = [];
    private bool _disposed;

    internal PlaywrightPageFetcher(IBrowserContext context, UrlGuard guard, PlaywrightBrowserOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _context = context;
        _guard = guard;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _slots = new SemaphoreSlim(options.MaxPagesPerAgent, options.MaxPagesPerAgent);
    }

    /// <inheritdoc />
    public string Name => "chromium";

    /// <inheritdoc />
    public async Task<FetchedPage> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (await _guard.CheckAsync(url, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            throw PageFetchException.Refusal($"refused: {refusal}");
        }

        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        PooledPage? pooled = null;
        var healthy = false;
        try
        {
            pooled = _idle.TryTake(out var idle) ? idle : await NewPageAsync().ConfigureAwait(false);
            var result = await NavigateAsync(pooled, url, cancellationToken).ConfigureAwait(false);
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
        await _context.CloseAsync().ConfigureAwait(false);
    }

    private async Task<PooledPage> NewPageAsync()
    {
        var page = await _context.NewPageAsync().ConfigureAwait(false);
        var pooled = new PooledPage(page);
        page.Download += (_, download) => _ = download.CancelAsync();
        await page.RouteAsync("**/*", route => RouteAsync(pooled, route)).ConfigureAwait(false);
        return pooled;
    }

    private async Task<FetchedPage> NavigateAsync(PooledPage pooled, Uri url, CancellationToken cancellationToken)
    {
        var page = pooled.Page;
        using var timeout = new CancellationTokenSource(_options.NavigationTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var current = url;
        IResponse? response = null;
        NavigationState state;
        for (var hop = 0; ; hop++)
        {
            state = pooled.Begin(hop, linked.Token);
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

            // Each redirect is a fresh, routed navigation, so the guard sees every hop.
            if (hop >= _guard.Options.MaxRedirects)
            {
                throw new PageFetchException($"too many redirects (more than {_guard.Options.MaxRedirects})");
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
        try
        {
            if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var uri))
            {
                await route.AbortAsync("blockedbyclient").ConfigureAwait(false);
                return;
            }

            var isMainDocument = request.IsNavigationRequest && request.Frame.ParentFrame is null;
            if (await _guard.CheckAsync(uri, state.Cancellation).ConfigureAwait(false) is { } refusal)
            {
                if (isMainDocument)
                {
                    state.Refusal ??= state.Hop == 0 ? $"refused: {refusal}" : $"refused a redirect to {uri}: {refusal}";
                }

                _logger.LogInformation("blocked request to {Url}: {Reason}", uri, refusal);
                await route.AbortAsync("blockedbyclient").ConfigureAwait(false);
                return;
            }

            // Every request is fetched one hop at a time: Playwright does not route the hops of a redirect
            // the browser follows itself, so the browser is never shown a redirect.
            var response = await route.FetchAsync(new RouteFetchOptions
            {
                MaxRedirects = 0,
                Timeout = (float)_options.NavigationTimeout.TotalMilliseconds,
            }).ConfigureAwait(false);
            if (isMainDocument)
            {
                if (Location(response, uri) is { } next)
                {
                    state.RedirectTo = next;
                    await route.AbortAsync("aborted").ConfigureAwait(false);
                    return;
                }
            }
            else
            {
                for (var hops = 0; Location(response, uri) is { } next; hops++)
                {
                    if (hops >= _guard.Options.MaxRedirects || await _guard.CheckAsync(next, state.Cancellation).ConfigureAwait(false) is not null)
                    {
                        _logger.LogInformation("blocked redirect of {Url} to {Next}", uri, next);
                        await route.AbortAsync("blockedbyclient").ConfigureAwait(false);
                        return;
                    }

                    uri = next;
                    response = await route.FetchAsync(new RouteFetchOptions
                    {
                        Url = next.AbsoluteUri,
                        MaxRedirects = 0,
                        Timeout = (float)_options.NavigationTimeout.TotalMilliseconds,
                    }).ConfigureAwait(false);
                }

                await route.FulfillAsync(new RouteFulfillOptions { Response = response }).ConfigureAwait(false);
                return;
            }

            var status = response.Status;
            var mediaType = MediaTypes.Normalize(response.Headers.TryGetValue("content-type", out var type) ? type : null);
            state.FinalUrl = uri;
            state.Status = status;
            state.MediaType = mediaType;
            var disposition = response.Headers.TryGetValue("content-disposition", out var d) ? d : string.Empty;
            if (!MediaTypes.IsSupported(mediaType) || disposition.StartsWith("attachment", StringComparison.OrdinalIgnoreCase))
            {
                state.Refusal ??= MediaTypes.Unsupported(mediaType);
                await route.AbortAsync("blockedbyclient").ConfigureAwait(false);
                return;
            }

            var body = await response.BodyAsync().ConfigureAwait(false);
            if (body.Length > _options.MaxResponseBytes)
            {
                state.Refusal ??= $"the page is larger than the {_options.MaxResponseBytes} byte limit ({body.Length} bytes)";
                await route.AbortAsync("blockedbyclient").ConfigureAwait(false);
                return;
            }

            if (MediaTypes.IsHtml(mediaType))
            {
                await route.FulfillAsync(new RouteFulfillOptions { Response = response }).ConfigureAwait(false);
                return;
            }

            // PDF and text: capture the bytes and show the browser an empty page instead (never a download).
            state.CapturedBody = body;
            await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/html", Body = Placeholder }).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
        {
            // The page was closed or navigated away meanwhile, or the fetch failed; the navigation reports it.
            _logger.LogDebug(ex, "routing {Url} failed", request.Url);
            if (request.IsNavigationRequest && request.Frame.ParentFrame is null)
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

    private static Uri? Location(IAPIResponse response, Uri current)
        => response.Status is >= 300 and < 400
            && response.Headers.TryGetValue("location", out var location)
            && Uri.TryCreate(current, location, out var next)
                ? next
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

        public NavigationState Current { get; private set; } = new();

        public NavigationState Begin(int hop, CancellationToken cancellationToken)
            => Current = new NavigationState { Hop = hop, Cancellation = cancellationToken };
    }

    private sealed class NavigationState
    {
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
