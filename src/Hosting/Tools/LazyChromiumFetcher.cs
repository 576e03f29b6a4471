using Agents.Plugins.Browsing;
using Agents.Plugins.Security;

namespace Agents.Hosting;

/// <summary>Starts the shared Chromium on the first page read, then reads every page with it.</summary>
internal sealed class LazyChromiumFetcher : IPageFetcher, IAsyncDisposable
{
    private readonly PlaywrightBrowser _browser;
    private readonly WebAccessOptions _access;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private PlaywrightPageFetcher? _fetcher;

    public LazyChromiumFetcher(PlaywrightBrowser browser, WebAccessOptions access)
    {
        _browser = browser;
        _access = access;
    }

    public string Name => "chromium";

    public async Task<FetchedPage> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        var fetcher = _fetcher;
        if (fetcher is null)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                fetcher = _fetcher ??= await _browser.CreateFetcherAsync(_access, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }

        return await fetcher.FetchAsync(url, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_fetcher is not null)
        {
            await _fetcher.DisposeAsync().ConfigureAwait(false);
        }

        await _browser.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }
}
