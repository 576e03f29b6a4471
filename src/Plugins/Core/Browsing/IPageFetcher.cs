namespace Agents.Plugins.Browsing;

/// <summary>Reads web pages: a real browser (<c>PlaywrightPageFetcher</c>) or plain HTTP (<c>HttpPageFetcher</c>).</summary>
/// <remarks>
/// Implementations enforce <see cref="Security.WebAccessOptions"/> on the URL and on every redirect, cap size and
/// time, never download files, and are safe to call concurrently.
/// </remarks>
public interface IPageFetcher
{
    /// <summary>Gets a short name for logs, for example <c>chromium</c> or <c>http</c>.</summary>
    string Name { get; }

    /// <summary>Reads one page.</summary>
    /// <param name="url">An absolute http or https URL.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The page.</returns>
    /// <exception cref="PageFetchException">The URL was refused or could not be read; the message says why.</exception>
    Task<FetchedPage> FetchAsync(Uri url, CancellationToken cancellationToken);
}
