using Agents.Plugins.Security;
using Microsoft.Playwright;

namespace Agents.Plugins.Browsing;

/// <summary>
/// One shared headless Chromium process driven by Playwright. Each agent gets its own isolated browser
/// context through <see cref="CreateFetcherAsync"/> (cookies and storage are not shared between agents).
/// </summary>
public sealed class PlaywrightBrowser : IAsyncDisposable
{
    /// <summary>
    /// Launch flags added to every launch, whatever <see cref="PlaywrightBrowserOptions.Arguments"/> says, as a
    /// second wall behind the routing (which serves every request through the guarded client): Chromium can
    /// resolve no name (so preconnects, DNS prefetches and any request that escaped routing fail before a
    /// socket opens), sends everything else to a proxy that cannot be resolved (IP literals included, loopback
    /// too), and WebRTC may not send UDP around that proxy.
    /// </summary>
    internal static readonly string[] NetworkIsolationArguments =
    [
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--proxy-server=http://chromium-has-no-network.invalid:9",
        "--proxy-bypass-list=<-loopback>",
        "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
        "--webrtc-ip-handling-policy=disable_non_proxied_udp",
        "--dns-prefetch-disable",
    ];

    private readonly PlaywrightBrowserOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _launchLock = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private bool _disposed;

    /// <summary>Creates the browser host; the process starts with the first fetcher.</summary>
    /// <param name="options">The options; defaults when null; validated here.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="loggerFactory">Creates loggers; none when null.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid, for example no browser at <see cref="PlaywrightBrowserOptions.ExecutablePath"/>.</exception>
    public PlaywrightBrowser(PlaywrightBrowserOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        _options = options ?? new PlaywrightBrowserOptions();
        _options.Validate();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
    }

    /// <summary>Gets a value indicating whether a browser to drive is configured (a binary that exists, or a channel).</summary>
    /// <param name="options">The options to check; the defaults when null.</param>
    /// <returns><see langword="true"/> when <see cref="PlaywrightBrowserOptions.ExecutablePath"/> exists or a channel is set.</returns>
    public static bool IsConfigured(PlaywrightBrowserOptions? options = null)
    {
        options ??= new PlaywrightBrowserOptions();
        return (options.ExecutablePath is { } path && File.Exists(path)) || !string.IsNullOrWhiteSpace(options.Channel);
    }

    /// <summary>Creates a fetcher for one agent: its own browser context with a pool of pages.</summary>
    /// <param name="access">Which destinations may be reached; public addresses only when null.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The fetcher; dispose it when the agent is done.</returns>
    /// <exception cref="InvalidOperationException">The browser could not be started; the message names the option to fix.</exception>
    public async Task<PlaywrightPageFetcher> CreateFetcherAsync(WebAccessOptions? access = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return await CreateGuardedFetcherAsync(new UrlGuard(access ?? new WebAccessOptions()), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates a fetcher whose guard is given (tests give it a resolver).</summary>
    internal async Task<PlaywrightPageFetcher> CreateGuardedFetcherAsync(UrlGuard guard, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var browser = await GetBrowserAsync(cancellationToken).ConfigureAwait(false);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            AcceptDownloads = false,
            ServiceWorkers = ServiceWorkerPolicy.Block,
            UserAgent = _options.UserAgent,
            JavaScriptEnabled = true,
        }).WaitAsync(cancellationToken).ConfigureAwait(false);

        // Pages the fetcher did not create (popups) have no page route of their own: their requests end here.
        await context.RouteAsync("**/*", route => route.AbortAsync("blockedbyclient")).WaitAsync(cancellationToken).ConfigureAwait(false);

        // Page routing does not see WebSockets: answer every one inside the page, never connecting to a server.
        await context.RouteWebSocketAsync(_ => true, socket => _ = socket.CloseAsync(new WebSocketRouteCloseOptions { Code = 1008, Reason = "blocked" }))
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return new PlaywrightPageFetcher(context, guard, _options, _timeProvider, _loggerFactory);
    }

    /// <summary>Closes the browser process.</summary>
    /// <returns>A task that completes when the browser is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_browser is not null)
        {
            await _browser.CloseAsync().ConfigureAwait(false);
        }

        _playwright?.Dispose();
        _launchLock.Dispose();
    }

    private async Task<IBrowser> GetBrowserAsync(CancellationToken cancellationToken)
    {
        await _launchLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_browser is { IsConnected: true })
            {
                return _browser;
            }

            try
            {
                _playwright ??= await Playwright.CreateAsync().ConfigureAwait(false);
                _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    ExecutablePath = _options.ExecutablePath,
                    Channel = _options.ExecutablePath is null ? _options.Channel : null,
                    Headless = true,
                    Args = [.. _options.Arguments, .. NetworkIsolationArguments],
                    Timeout = 60_000,
                }).WaitAsync(cancellationToken).ConfigureAwait(false);
                return _browser;
            }
            catch (PlaywrightException ex)
            {
                throw new InvalidOperationException(
                    $"The browser could not be started (ExecutablePath '{_options.ExecutablePath}', Channel '{_options.Channel}'): {ex.Message} Set {nameof(PlaywrightBrowserOptions)}.{nameof(PlaywrightBrowserOptions.ExecutablePath)} to an installed Chromium, or use {nameof(HttpPageFetcher)}.",
                    ex);
            }
        }
        finally
        {
            _launchLock.Release();
        }
    }
}
