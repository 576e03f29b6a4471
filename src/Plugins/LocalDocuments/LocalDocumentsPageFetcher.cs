using Agents.Plugins.Browsing;

namespace Agents.Plugins.LocalDocuments;

/// <summary>
/// Serves the addresses of the local documents virtual host (<see cref="LocalDocumentLinks"/>) from its folder,
/// read-only and never outside it, and passes every other address to the wrapped fetcher, with that fetcher's
/// security rules. A refused local address (one that leaves the folder, a hidden name, a type that is not served)
/// throws <see cref="PageFetchException.Refusal(string)"/>: nothing was read, so <c>BrowserPlugin</c> charges nothing.
/// Error messages name the address, never the server's file path.
/// </summary>
/// <remarks>Thread-safe when the wrapped fetcher is. It does not own (or dispose) the wrapped fetcher.</remarks>
public sealed class LocalDocumentsPageFetcher : IPageFetcher
{
    private readonly IPageFetcher _inner;
    private readonly LocalDocumentLinks _links;

    /// <summary>Creates the fetcher.</summary>
    /// <param name="inner">Reads every address that is not a local document (the web).</param>
    /// <param name="links">The virtual host.</param>
    public LocalDocumentsPageFetcher(IPageFetcher inner, LocalDocumentLinks links)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(links);
        _inner = inner;
        _links = links;
    }

    /// <inheritdoc />
    public string Name => _inner.Name + "+local";

    /// <inheritdoc />
    public async Task<FetchedPage> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!_links.IsLocal(url))
        {
            return await _inner.FetchAsync(url, cancellationToken).ConfigureAwait(false);
        }

        if (_links.Resolve(url, out string? refusal) is not { } file)
        {
            throw PageFetchException.Refusal($"refused: {refusal}.");
        }

        byte[] body;
        try
        {
            var info = new FileInfo(file);
            if (!info.Exists)
            {
                throw new PageFetchException("no such document in the local documents.");
            }

            if (info.Length > _links.Options.MaxDocumentBytes)
            {
                throw new PageFetchException($"the document is larger than the {_links.Options.MaxDocumentBytes} byte limit.");
            }

            body = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The exception's own message holds the server path; the model gets the address only.
            throw new PageFetchException("the document could not be read.", ex);
        }

        string type = Path.GetExtension(file).ToUpperInvariant() switch
        {
            ".HTML" or ".HTM" => "text/html",
            ".PDF" => "application/pdf",
            ".MD" or ".MARKDOWN" => "text/markdown",
            _ => "text/plain",
        };
        return new FetchedPage(url, 200, type, body);
    }
}
