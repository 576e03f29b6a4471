namespace Agents.Plugins.Memory;

/// <summary>
/// A folder an agent keeps its memory in: notes, logs, a report and the raw source archive. Every path is
/// relative to <see cref="RootPath"/> and is checked to stay inside it (no <c>..</c>, no absolute paths, no
/// symbolic links); writes are atomic (temporary file, flush to disk, rename); the source archive under
/// <see cref="SourcesFolder"/> is written only by <see cref="SourceArchive"/>.
/// </summary>
/// <remarks>
/// Thread-safe: writes are serialized, reads see either the old or the new content of a file. Full-text search
/// uses an in-memory Lucene index built on the first search and updated on every write made through this
/// instance (files changed behind its back are seen after <see cref="ResetSearchIndex"/>).
/// </remarks>
public sealed class MemoryWorkspace : IDisposable
{
    /// <summary>The folder, relative to the root, that holds the raw source archive.</summary>
    public const string SourcesFolder = "knowledge_base/sources";

    private static readonly EnumerationOptions WalkOptions = new()
    {
        RecurseSubdirectories = true,
        AttributesToSkip = FileAttributes.Hidden | FileAttributes.ReparsePoint | FileAttributes.System,
        IgnoreInaccessible = true,
    };

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ILogger _logger;
    private NoteSearchIndex _index = new();
    private bool _disposed;

    /// <summary>Creates the workspace and its root folder.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="loggerFactory">Logging; none when <see langword="null"/>.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is invalid.</exception>
    public MemoryWorkspace(MemoryWorkspaceOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        TimeProvider = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<MemoryWorkspace>();
        RootPath = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.RootPath));
        Directory.CreateDirectory(RootPath);
        RemoveStaleTempFiles();
    }

    /// <summary>Gets the absolute path of the workspace root.</summary>
    public string RootPath { get; }

    /// <summary>Gets the options.</summary>
    public MemoryWorkspaceOptions Options { get; }

    /// <summary>Gets the clock used for time stamps.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>
    /// Checks <paramref name="path"/> and returns it normalized: relative to the root, '/' separators, no
    /// <c>.</c> segments. An empty path or <c>.</c> is the root itself (an empty string).
    /// </summary>
    /// <param name="path">A path relative to the workspace root.</param>
    /// <returns>The normalized relative path.</returns>
    /// <exception cref="WorkspaceAccessException">The path is absolute, uses <c>..</c>, or passes through a symbolic link.</exception>
    public string NormalizePath(string? path) => Resolve(path).Relative;

    /// <summary>
    /// Rewrites <paramref name="text"/> (for example an operating-system error message) so that it never shows the
    /// workspace's absolute location: every path below the root becomes relative to it, and the root itself <c>.</c>.
    /// </summary>
    /// <param name="text">The text; <see langword="null"/> gives an empty string.</param>
    /// <returns>The text without the absolute root path.</returns>
    public string RedactPaths(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var result = text;
        foreach (var separator in new[] { Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar })
        {
            result = result.Replace(RootPath + separator, string.Empty, StringComparison.OrdinalIgnoreCase);
        }

        return result.Replace(RootPath, ".", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Gets whether the normalized path lies in the read-only source archive.</summary>
    /// <param name="normalizedPath">A path returned by <see cref="NormalizePath"/>.</param>
    /// <returns><see langword="true"/> for the archive folder and everything below it.</returns>
    public static bool IsInSourceArchive(string normalizedPath)
    {
        ArgumentNullException.ThrowIfNull(normalizedPath);
        return normalizedPath.Equals(SourcesFolder, StringComparison.OrdinalIgnoreCase)
            || normalizedPath.StartsWith(SourcesFolder + "/", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Gets whether a file exists at <paramref name="path"/>.</summary>
    /// <param name="path">A path relative to the workspace root.</param>
    /// <returns><see langword="true"/> when it is an existing file.</returns>
    /// <exception cref="WorkspaceAccessException">The path is refused.</exception>
    public bool FileExists(string path) => File.Exists(Resolve(path).Full);

    /// <summary>Reads a whole text file, or returns <see langword="null"/> when it does not exist.</summary>
    /// <param name="path">A path relative to the workspace root.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The content with '\n' line ends, or <see langword="null"/>.</returns>
    /// <exception cref="WorkspaceAccessException">The path is refused, is a folder, or the file is too large.</exception>
    public async Task<string?> TryReadTextAsync(string path, CancellationToken cancellationToken)
    {
        var resolved = Resolve(path);
        return await ReadResolvedAsync(resolved, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates or replaces a text file atomically.</summary>
    /// <param name="path">A path relative to the workspace root, outside the source archive.</param>
    /// <param name="content">The new content.</param>
    /// <param name="cancellationToken">Cancels the write (the old content then stays).</param>
    /// <returns>A task that completes when the file is on disk.</returns>
    /// <exception cref="WorkspaceAccessException">The path is refused or the content is too large.</exception>
    public Task WriteTextAsync(string path, string content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        return EditAsync(path, mustExist: false, _ => content, cancellationToken);
    }

    /// <summary>Appends text to a file (created when missing), starting on a new line.</summary>
    /// <param name="path">A path relative to the workspace root, outside the source archive.</param>
    /// <param name="content">The text to append.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is on disk.</returns>
    /// <exception cref="WorkspaceAccessException">The path is refused or the file would grow too large.</exception>
    public Task AppendTextAsync(string path, string content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        return EditAsync(
            path,
            mustExist: false,
            old =>
            {
                if (string.IsNullOrEmpty(old))
                {
                    return EnsureTrailingNewline(content);
                }

                return EnsureTrailingNewline(old) + EnsureTrailingNewline(content);
            },
            cancellationToken);
    }

    /// <summary>Runs a full-text search over the notes (files with a <see cref="MemoryWorkspaceOptions.NoteExtensions"/> extension).</summary>
    /// <param name="query">Lucene query syntax; plain words match any of them. Syntax errors fall back to a literal search.</param>
    /// <param name="top">The most hits to return (at least 1).</param>
    /// <param name="folder">Restricts the search to a folder; <see langword="null"/> or empty for the whole workspace.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>The hits, best first.</returns>
    /// <exception cref="WorkspaceAccessException">The query is empty or the folder is refused.</exception>
    public async Task<IReadOnlyList<NoteSearchHit>> SearchNotesAsync(string query, int top, string? folder, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            throw new WorkspaceAccessException("The search query is empty; pass one or more words to look for.");
        }

        var prefix = string.IsNullOrEmpty(folder) ? null : Resolve(folder).Relative;
        ObjectDisposedException.ThrowIf(_disposed, this);
        var index = _index;
        if (!index.IsBuilt)
        {
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                index.EnsureBuilt(EnumerateNotes);
            }
            finally
            {
                _writeLock.Release();
            }
        }

        var hits = index.Search(query, Math.Max(1, top), string.IsNullOrEmpty(prefix) ? null : prefix + "/");
        var terms = index.Terms(query);
        var results = new List<NoteSearchHit>(hits.Count);
        foreach (var (hitPath, score) in hits)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (lineNumber, snippet) = await FindSnippetAsync(hitPath, terms, cancellationToken).ConfigureAwait(false);
            results.Add(new NoteSearchHit(hitPath, score, lineNumber, snippet));
        }

        return results;
    }

    /// <summary>Drops the search index; the next search rebuilds it from the files on disk.</summary>
    public void ResetSearchIndex()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var old = Interlocked.Exchange(ref _index, new NoteSearchIndex());
        old.Dispose();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _index.Dispose();
        _writeLock.Dispose();
    }

    /// <summary>Lists files and folders below <paramref name="path"/>, depth first, sorted by name.</summary>
    internal IReadOnlyList<WorkspaceEntry> List(string? path, int maxDepth, int maxEntries, out bool truncated)
    {
        var resolved = Resolve(path);
        if (File.Exists(resolved.Full))
        {
            truncated = false;
            return [Describe(new FileInfo(resolved.Full), resolved.Relative, 0)];
        }

        if (!Directory.Exists(resolved.Full))
        {
            throw new WorkspaceAccessException($"'{Display(resolved.Relative)}' does not exist. Call list_files on '.' to see what is there.");
        }

        var entries = new List<WorkspaceEntry>();
        truncated = false;
        Walk(new DirectoryInfo(resolved.Full), resolved.Relative, 0, maxDepth, maxEntries, entries, ref truncated);
        return entries;
    }

    /// <summary>Reads the lines of a file that must exist.</summary>
    internal async Task<(string Relative, List<string> Lines)> ReadLinesAsync(string path, CancellationToken cancellationToken)
    {
        var resolved = Resolve(path);
        var text = await ReadResolvedAsync(resolved, cancellationToken).ConfigureAwait(false)
            ?? throw new WorkspaceAccessException($"'{Display(resolved.Relative)}' does not exist. Call list_files to see the files, or create it first.");
        return (resolved.Relative, SplitLines(text));
    }

    /// <summary>Enumerates existing text files below a folder for grep.</summary>
    internal IEnumerable<(string Relative, string Full)> EnumerateFiles(string? path)
    {
        var resolved = Resolve(path);
        if (File.Exists(resolved.Full))
        {
            yield return (resolved.Relative, resolved.Full);
            yield break;
        }

        if (!Directory.Exists(resolved.Full))
        {
            throw new WorkspaceAccessException($"'{Display(resolved.Relative)}' does not exist. Call list_files on '.' to see what is there.");
        }

        foreach (var file in Directory.EnumerateFiles(resolved.Full, "*", WalkOptions).Order(StringComparer.Ordinal))
        {
            yield return (ToRelative(file), file);
        }
    }

    /// <summary>
    /// Reads, edits and atomically rewrites a file outside the source archive under the write lock.
    /// <paramref name="edit"/> gets the old content (<see langword="null"/> when missing) and returns the new one.
    /// </summary>
    internal async Task<string> EditAsync(string path, bool mustExist, Func<string?, string> edit, CancellationToken cancellationToken)
    {
        var resolved = Resolve(path);
        if (resolved.Relative.Length == 0)
        {
            throw new WorkspaceAccessException("A file path is required, not the workspace root.");
        }

        if (IsInSourceArchive(resolved.Relative))
        {
            throw new WorkspaceAccessException(
                $"'{resolved.Relative}' is in the read-only source archive ({SourcesFolder}); sources are written only when a page is read. Write your notes in another folder, for example knowledge_base/<topic>/<note>.md.");
        }

        if (resolved.Relative.Split('/').Any(segment => segment.StartsWith('.')))
        {
            throw new WorkspaceAccessException($"'{resolved.Relative}': names starting with '.' are reserved; choose another name.");
        }

        ThrowIfBelowAFile(resolved.Relative);
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var old = await ReadResolvedAsync(resolved, cancellationToken).ConfigureAwait(false);
            if (old is null && mustExist)
            {
                throw new WorkspaceAccessException($"'{resolved.Relative}' does not exist. Create it first (create_file), or check the name with list_files.");
            }

            var updated = edit(old);
            var bytes = AtomicFile.Encode(updated);
            if (bytes.LongLength > Options.MaxFileBytes)
            {
                throw new WorkspaceAccessException(
                    $"'{resolved.Relative}' would be {bytes.LongLength} bytes, over the limit of {Options.MaxFileBytes} bytes. Split the content into several smaller files.");
            }

            await AtomicFile.WriteAsync(resolved.Full, bytes, overwrite: true, cancellationToken).ConfigureAwait(false);
            if (IsNote(resolved.Relative))
            {
                _index.Update(resolved.Relative, updated);
            }

            return resolved.Relative;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Creates a file in the source archive unless it exists. Used only by <see cref="SourceArchive"/>.</summary>
    internal async Task<bool> CreateSourceFileAsync(string relativePath, string content, CancellationToken cancellationToken)
    {
        var resolved = Resolve(relativePath);
        if (!IsInSourceArchive(resolved.Relative))
        {
            throw new InvalidOperationException($"'{relativePath}' is not in {SourcesFolder}.");
        }

        var bytes = AtomicFile.Encode(content);
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var created = await AtomicFile.WriteAsync(resolved.Full, bytes, overwrite: false, cancellationToken).ConfigureAwait(false);
            if (created && IsNote(resolved.Relative))
            {
                _index.Update(resolved.Relative, content);
            }

            return created;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    internal static List<string> SplitLines(string text)
    {
        if (text.Length == 0)
        {
            return [];
        }

        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
        if (lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }

    internal static string JoinLines(IEnumerable<string> lines)
    {
        var builder = new StringBuilder();
        foreach (var line in lines)
        {
            builder.Append(line).Append('\n');
        }

        return builder.ToString();
    }

    internal static string Display(string relative) => relative.Length == 0 ? "." : relative;

    /// <summary>Refuses a path one of whose folders is an existing file (the operating system would fail with its full path).</summary>
    private void ThrowIfBelowAFile(string relative)
    {
        var segments = relative.Split('/');
        var current = RootPath;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            current = Path.Combine(current, segments[i]);
            if (File.Exists(current))
            {
                var file = string.Join('/', segments.Take(i + 1));
                throw new WorkspaceAccessException($"'{relative}' cannot be written: '{file}' is a file, not a folder. Choose a path in a folder.");
            }

            if (!Directory.Exists(current))
            {
                return;
            }
        }
    }

    private void RemoveStaleTempFiles()
    {
        var removed = AtomicFile.RemoveStale(RootPath, (file, ex) => _logger.LogWarning("Could not remove the leftover temporary file {Path}: {Error}", ToRelative(file), RedactPaths(ex.Message)));
        if (removed > 0)
        {
            _logger.LogInformation("Removed {Count} temporary file(s) left by an interrupted write.", removed);
        }
    }

    private static string EnsureTrailingNewline(string text) => text.EndsWith('\n') ? text : text + "\n";

    private bool IsNote(string relative) =>
        Options.NoteExtensions.Contains(Path.GetExtension(relative), StringComparer.OrdinalIgnoreCase);

    private IEnumerable<(string Path, string Content)> EnumerateNotes()
    {
        foreach (var file in Directory.EnumerateFiles(RootPath, "*", WalkOptions))
        {
            var relative = ToRelative(file);
            if (!IsNote(relative))
            {
                continue;
            }

            string content;
            try
            {
                var info = new FileInfo(file);
                if (info.Length > Options.MaxFileBytes)
                {
                    continue;
                }

                content = File.ReadAllText(file);
            }
            catch (IOException ex)
            {
                _logger.LogWarning(ex, "Skipping {Path} in the search index.", relative);
                continue;
            }

            yield return (relative, content);
        }
    }

    private async Task<(int, string)> FindSnippetAsync(string relative, IReadOnlyList<string> terms, CancellationToken cancellationToken)
    {
        string? text;
        try
        {
            text = await TryReadTextAsync(relative, cancellationToken).ConfigureAwait(false);
        }
        catch (WorkspaceAccessException)
        {
            return (0, string.Empty);
        }

        if (text is null)
        {
            return (0, string.Empty);
        }

        var lines = SplitLines(text);
        for (var i = 0; i < lines.Count; i++)
        {
            foreach (var term in terms)
            {
                if (lines[i].Contains(term, StringComparison.OrdinalIgnoreCase))
                {
                    var line = lines[i].Trim();
                    return (i + 1, line.Length > 200 ? line[..200] + "…" : line);
                }
            }
        }

        return (0, string.Empty);
    }

    private async Task<string?> ReadResolvedAsync(ResolvedPath resolved, CancellationToken cancellationToken)
    {
        if (Directory.Exists(resolved.Full))
        {
            throw new WorkspaceAccessException($"'{Display(resolved.Relative)}' is a folder; call list_files on it, or read a file inside it.");
        }

        FileInfo info = new(resolved.Full);
        if (!info.Exists)
        {
            return null;
        }

        if (info.Length > Options.MaxFileBytes)
        {
            throw new WorkspaceAccessException($"'{resolved.Relative}' is {info.Length} bytes, over the limit of {Options.MaxFileBytes} bytes; use grep to find the lines you need.");
        }

        try
        {
            var text = await File.ReadAllTextAsync(resolved.Full, cancellationToken).ConfigureAwait(false);
            return text.Replace("\r\n", "\n", StringComparison.Ordinal);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private void Walk(DirectoryInfo directory, string relative, int depth, int maxDepth, int maxEntries, List<WorkspaceEntry> entries, ref bool truncated)
    {
        var children = directory.EnumerateFileSystemInfos("*", new EnumerationOptions
        {
            AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
            IgnoreInaccessible = true,
        }).OrderBy(info => info.Name, StringComparer.Ordinal);
        foreach (var child in children)
        {
            if (entries.Count >= maxEntries)
            {
                truncated = true;
                return;
            }

            var childRelative = relative.Length == 0 ? child.Name : relative + "/" + child.Name;
            if (child.LinkTarget is not null)
            {
                entries.Add(new WorkspaceEntry(childRelative, depth, WorkspaceEntryKind.Link, 0, 0, 0));
                continue;
            }

            if (child is DirectoryInfo childDirectory)
            {
                var count = entries.Count;
                entries.Add(new WorkspaceEntry(childRelative, depth, WorkspaceEntryKind.Folder, 0, 0, 0));
                if (depth + 1 < maxDepth)
                {
                    Walk(childDirectory, childRelative, depth + 1, maxDepth, maxEntries, entries, ref truncated);
                }
                else
                {
                    var items = childDirectory.EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = FileAttributes.Hidden | FileAttributes.System, IgnoreInaccessible = true }).Count();
                    entries[count] = entries[count] with { ItemCount = items };
                }
            }
            else if (child is FileInfo file)
            {
                entries.Add(Describe(file, childRelative, depth));
            }
        }
    }

    private WorkspaceEntry Describe(FileInfo file, string relative, int depth)
    {
        var lines = 0;
        if (file.Length <= Options.MaxFileBytes)
        {
            try
            {
                using var stream = file.OpenRead();
                var buffer = new byte[16 * 1024];
                int read;
                var last = (byte)'\n';
                while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    lines += buffer.AsSpan(0, read).Count((byte)'\n');
                    last = buffer[read - 1];
                }

                if (last != (byte)'\n')
                {
                    lines++;
                }
            }
            catch (IOException)
            {
                lines = -1;
            }
        }
        else
        {
            lines = -1;
        }

        return new WorkspaceEntry(relative, depth, WorkspaceEntryKind.File, file.Length, lines, 0);
    }

    private string ToRelative(string full) => Path.GetRelativePath(RootPath, full).Replace('\\', '/');

    private ResolvedPath Resolve(string? path)
    {
        var text = (path ?? string.Empty).Trim();
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new WorkspaceAccessException("The path contains a NUL character; use a plain relative path such as notes/topic.md.");
        }

        text = text.Replace('\\', '/');
        if (text.StartsWith('/') || text.StartsWith('~') || Path.IsPathRooted(text) || (text.Length >= 2 && text[1] == ':'))
        {
            var shown = RedactPaths(path);
            throw new WorkspaceAccessException(string.Equals(shown, path, StringComparison.Ordinal)
                ? $"'{path}' is an absolute path; only paths relative to the workspace root are allowed, for example knowledge_base/topic/note.md."
                : $"Absolute paths are not allowed; use the path relative to the workspace root, here '{shown}'.");
        }

        var segments = new List<string>();
        foreach (var segment in text.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                throw new WorkspaceAccessException($"'{RedactPaths(path)}' uses '..'; paths must stay inside the workspace. Use a path relative to the workspace root without '..'.");
            }

            segments.Add(segment);
        }

        var relative = string.Join('/', segments);
        var full = segments.Count == 0 ? RootPath : Path.GetFullPath(Path.Combine(RootPath, relative));
        if (!full.Equals(RootPath, StringComparison.Ordinal) && !full.StartsWith(RootPath + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new WorkspaceAccessException($"'{RedactPaths(path)}' resolves outside the workspace; use a path relative to the workspace root.");
        }

        // No component below the root may be a symbolic link: a link could point anywhere (for example /etc).
        var current = RootPath;
        foreach (var segment in segments)
        {
            current = Path.Combine(current, segment);
            FileSystemInfo info = new FileInfo(current);
            if (!info.Exists)
            {
                info = new DirectoryInfo(current);
                if (!info.Exists)
                {
                    break;
                }
            }

            if (info.LinkTarget is not null)
            {
                throw new WorkspaceAccessException(
                    $"'{RedactPaths(path)}' passes through the symbolic link '{ToRelative(current)}'; links are not followed, so that files stay inside the workspace.");
            }
        }

        return new ResolvedPath(relative, full);
    }

    private readonly record struct ResolvedPath(string Relative, string Full);
}
