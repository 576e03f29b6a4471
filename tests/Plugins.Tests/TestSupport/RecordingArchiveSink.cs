using System.Collections.Concurrent;
using Agents.Plugins.Archiving;

namespace Agents.Plugins.Tests.TestSupport;

/// <summary>An archive sink that records pages, or fails when told to.</summary>
public sealed class RecordingArchiveSink(Func<ArchivedPage, ValueTask>? onArchive = null) : IPageArchiveSink
{
    public ConcurrentQueue<ArchivedPage> Pages { get; } = new();

    public async ValueTask ArchiveAsync(ArchivedPage page, CancellationToken cancellationToken)
    {
        Pages.Enqueue(page);
        if (onArchive is not null)
        {
            await onArchive(page);
        }
    }
}
