namespace Agents.Plugins.Archiving;

/// <summary>
/// Receives every page a browsing tool has read, for example to archive raw sources on disk.
/// </summary>
/// <remarks>
/// Implementations must be safe to call concurrently. A failing sink must not fail the tool call that read
/// the page: the caller logs the error and goes on.
/// </remarks>
public interface IPageArchiveSink
{
    /// <summary>Archives one page that was read.</summary>
    /// <param name="page">The page as it was read.</param>
    /// <param name="cancellationToken">Cancels the archiving.</param>
    /// <returns>A task that completes when the page is stored.</returns>
    ValueTask ArchiveAsync(ArchivedPage page, CancellationToken cancellationToken);
}
