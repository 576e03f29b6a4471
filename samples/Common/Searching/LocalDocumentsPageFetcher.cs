using Agents.Plugins.Browsing;

namespace Agents.Samples.Common.Searching;

/// <summary>
/// Serves <c>http://local-documents.invalid/...</c> addresses from the local index folder (never outside it) and
/// passes every other address to the real fetcher, with its security rules.
/// </summary>
public sealed class LocalDocumentsPageFetcher(IPageFetcher inner, LocalDocumentLinks links) : IPageFetcher
{
    private const long MaxBytes = 20L * 1024 * 1024;

    /// <inheritdoc />
    public string Name => inner.Name + "+local";

    /// <inheritdoc />
    public async Task<FetchedPage> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!string.Equals(url.Host, LocalDocumentLinks.Host, StringComparison.OrdinalIgnoreCase))
        {
            return await inner.FetchAsync(url, cancellationToken).ConfigureAwait(false);
        }

        string? file = links.ToFile(url);
        if (file is null)
        {
            throw new PageFetchException($"{url} is not a document of the local index.");
        }

        var info = new FileInfo(file);
        if (!info.Exists)
        {
            throw new PageFetchException($"{url}: no such document in the local index.");
        }

        if (info.Length > MaxBytes)
        {
            throw new PageFetchException($"{url}: the document is larger than 20 MiB.");
        }

        byte[] body = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
        string type = info.Extension.ToLowerInvariant() switch
        {
            ".html" or ".htm" => "text/html",
            ".pdf" => "application/pdf",
            ".md" or ".markdown" => "text/markdown",
            _ => "text/plain",
        };
        return new FetchedPage(url, 200, type, body);
    }
}
