using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Agents.Plugins.Archiving;

namespace Agents.Plugins.Memory;

/// <summary>
/// Archives every page a browsing tool reads as <c>knowledge_base/sources/&lt;slug&gt;.md</c> with front matter
/// (url, title, fetched_at). The slug is derived from the URL alone, so the same URL always maps to the same
/// file, also across process restarts; an existing archive is never overwritten.
/// </summary>
/// <remarks>Agents cannot write the archive through <see cref="FileSystemMemoryPlugin"/>; only this sink writes it.</remarks>
public sealed class SourceArchive : IPageArchiveSink
{
    private const int MaxSlugLength = 60;
    private readonly MemoryWorkspace _workspace;
    private readonly ILogger _logger;

    /// <summary>Creates the archive over a workspace.</summary>
    /// <param name="workspace">The workspace whose <see cref="MemoryWorkspace.SourcesFolder"/> holds the archive.</param>
    /// <param name="loggerFactory">Logging; none when <see langword="null"/>.</param>
    public SourceArchive(MemoryWorkspace workspace, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        _workspace = workspace;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SourceArchive>();
    }

    /// <summary>Gets the archive path of a URL: <c>knowledge_base/sources/&lt;slug&gt;.md</c>.</summary>
    /// <param name="url">An absolute URL; the fragment is ignored.</param>
    /// <returns>The path relative to the workspace root.</returns>
    /// <exception cref="ArgumentException"><paramref name="url"/> is not absolute.</exception>
    public static string GetSourcePath(Uri url)
    {
        var normalized = Normalize(url);
        var readable = new StringBuilder();
        foreach (var ch in (normalized.Host + normalized.AbsolutePath).ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(ch))
            {
                readable.Append(ch);
            }
            else if (readable.Length > 0 && readable[^1] != '-')
            {
                readable.Append('-');
            }
        }

        var slug = readable.ToString().Trim('-');
        if (slug.Length > MaxSlugLength)
        {
            slug = slug[..MaxSlugLength].TrimEnd('-');
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized.AbsoluteUri)))[..10];
        return $"{MemoryWorkspace.SourcesFolder}/{(slug.Length == 0 ? "page" : slug)}-{hash}.md";
    }

    /// <inheritdoc/>
    /// <remarks>Archives the page unless its URL is archived already. Never throws for I/O errors: it logs them.</remarks>
    public async ValueTask ArchiveAsync(ArchivedPage page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var url = Normalize(page.Url);
        var path = GetSourcePath(url);
        try
        {
            if (_workspace.FileExists(path))
            {
                return;
            }
        }
        catch (WorkspaceAccessException ex)
        {
            _logger.LogError(ex, "Could not archive {Url} as {Path}.", url, path);
            return;
        }

        var header = new StringBuilder()
            .Append("---\n")
            .Append("url: ").Append(url.AbsoluteUri).Append('\n')
            .Append("title: ").Append(JsonSerializer.Serialize(page.Title ?? string.Empty)).Append('\n')
            .Append("fetched_at: ").Append(page.FetchedAt.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)).Append('\n')
            .Append("content_type: ").Append(JsonSerializer.Serialize(page.ContentType ?? string.Empty)).Append('\n')
            .Append("---\n\n")
            .ToString();
        var text = (page.Text ?? string.Empty).Replace("\r\n", "\n", StringComparison.Ordinal);
        var room = (int)Math.Min(int.MaxValue, _workspace.Options.MaxFileBytes - Encoding.UTF8.GetByteCount(header) - 64);
        if (Encoding.UTF8.GetByteCount(text) > room)
        {
            // Cut by characters: at most 4 bytes each, so this always fits.
            text = text[..Math.Max(0, Math.Min(text.Length, room / 4))] + "\n\n[truncated: the page was larger than the archive limit]";
        }

        try
        {
            var created = await _workspace.CreateSourceFileAsync(path, header + text + "\n", cancellationToken).ConfigureAwait(false);
            if (created)
            {
                _logger.LogDebug("Archived {Url} as {Path}.", url, path);
            }
        }
        catch (IOException ex)
        {
            _logger.LogError(ex, "Could not archive {Url} as {Path}.", url, path);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or WorkspaceAccessException)
        {
            _logger.LogError(ex, "Could not archive {Url} as {Path}.", url, path);
        }
    }

    /// <summary>Finds the archived source of a URL.</summary>
    /// <param name="url">The page URL.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The source, or <see langword="null"/> when the URL is not archived.</returns>
    public async Task<ArchivedSource?> FindAsync(Uri url, CancellationToken cancellationToken) =>
        await ReadSourceAsync(GetSourcePath(url), cancellationToken).ConfigureAwait(false);

    /// <summary>Lists every archived source, ordered by path.</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The sources whose front matter could be read.</returns>
    public async Task<IReadOnlyList<ArchivedSource>> ListAsync(CancellationToken cancellationToken)
    {
        var sources = new List<ArchivedSource>();
        if (!Directory.Exists(Path.Combine(_workspace.RootPath, MemoryWorkspace.SourcesFolder)))
        {
            return sources;
        }

        foreach (var (relative, _) in _workspace.EnumerateFiles(MemoryWorkspace.SourcesFolder))
        {
            var source = await ReadSourceAsync(relative, cancellationToken).ConfigureAwait(false);
            if (source is not null)
            {
                sources.Add(source);
            }
        }

        return sources;
    }

    /// <summary>Reads the front matter of an archive file.</summary>
    /// <param name="path">The archive file, relative to the workspace root.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The source, or <see langword="null"/> when the file is missing, outside the archive, or has no valid front matter.</returns>
    public async Task<ArchivedSource?> ReadSourceAsync(string path, CancellationToken cancellationToken)
    {
        string normalized;
        string? text;
        try
        {
            normalized = _workspace.NormalizePath(path);
            if (!MemoryWorkspace.IsInSourceArchive(normalized))
            {
                return null;
            }

            text = await _workspace.TryReadTextAsync(normalized, cancellationToken).ConfigureAwait(false);
        }
        catch (WorkspaceAccessException)
        {
            return null;
        }

        return text is null ? null : ParseFrontMatter(normalized, text);
    }

    internal static ArchivedSource? ParseFrontMatter(string path, string text)
    {
        if (!text.StartsWith("---\n", StringComparison.Ordinal))
        {
            return null;
        }

        var end = text.IndexOf("\n---\n", 3, StringComparison.Ordinal);
        if (end < 0)
        {
            return null;
        }

        Uri? url = null;
        var title = string.Empty;
        DateTimeOffset fetchedAt = default;
        foreach (var line in text[4..end].Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "url":
                    Uri.TryCreate(value, UriKind.Absolute, out url);
                    break;
                case "title":
                    try
                    {
                        title = JsonSerializer.Deserialize<string>(value) ?? string.Empty;
                    }
                    catch (JsonException)
                    {
                        title = value;
                    }

                    break;
                case "fetched_at":
                    DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out fetchedAt);
                    break;
            }
        }

        return url is null ? null : new ArchivedSource(path, url, title, fetchedAt);
    }

    private static Uri Normalize(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri)
        {
            throw new ArgumentException($"The URL '{url}' is not absolute.", nameof(url));
        }

        return string.IsNullOrEmpty(url.Fragment) ? url : new UriBuilder(url) { Fragment = string.Empty }.Uri;
    }
}
