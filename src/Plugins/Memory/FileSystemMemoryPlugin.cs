using System.ComponentModel;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.SemanticKernel;

namespace Agents.Plugins.Memory;

/// <summary>
/// Semantic Kernel plugin that gives an agent a file-system memory: list, read with line numbers, create,
/// append, insert/replace/delete line ranges, grep, full-text search over notes, and a citation check.
/// Every path stays inside the workspace root; the source archive is read-only; errors come back as
/// <c>Error: …</c> texts the model can act on.
/// </summary>
public sealed class FileSystemMemoryPlugin
{
    private readonly MemoryWorkspace _workspace;
    private readonly FileSystemMemoryPluginOptions _options;
    private readonly CitationChecker _citations;
    private readonly ILogger _logger;

    /// <summary>Creates the plugin over a workspace.</summary>
    /// <param name="workspace">The workspace; may be shared with other plugins and a <see cref="SourceArchive"/>.</param>
    /// <param name="options">The options; defaults when <see langword="null"/>. Validated here.</param>
    /// <param name="loggerFactory">Logging; none when <see langword="null"/>.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is invalid.</exception>
    public FileSystemMemoryPlugin(MemoryWorkspace workspace, FileSystemMemoryPluginOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        _options = options ?? new FileSystemMemoryPluginOptions();
        _options.Validate();
        _workspace = workspace;
        _citations = new CitationChecker(workspace);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<FileSystemMemoryPlugin>();
    }

    /// <summary>Lists files and folders as a tree with sizes and line counts.</summary>
    /// <param name="path">The folder (or file) to list, relative to the workspace root.</param>
    /// <param name="maxDepth">How many folder levels to expand.</param>
    /// <returns>The tree, or an error text.</returns>
    [KernelFunction("list_files")]
    [Description("List the workspace as a tree with file sizes and line counts. Cost: free (no search, browse or reading unit).")]
    public string ListFiles(
        [Description("Folder to list, relative to the workspace root; '.' for the root.")] string path = ".",
        [Description("How many folder levels to expand (1-10).")] int maxDepth = 3)
    {
        return Guard(() =>
        {
            var depth = Math.Clamp(maxDepth, 1, 10);
            var entries = _workspace.List(path, depth, _options.MaxListEntries, out var truncated);
            var normalized = _workspace.NormalizePath(path);
            var builder = new StringBuilder();
            builder.Append(MemoryWorkspace.Display(normalized)).Append('/').Append('\n');
            if (entries.Count == 0)
            {
                builder.Append("(empty)\n");
            }

            foreach (var entry in entries)
            {
                builder.Append(' ', 2 * (entry.Depth + 1)).Append(Path.GetFileName(entry.Path));
                switch (entry.Kind)
                {
                    case WorkspaceEntryKind.Folder:
                        builder.Append('/');
                        if (entry.ItemCount > 0)
                        {
                            builder.Append(CultureInfo.InvariantCulture, $" ({entry.ItemCount} items, not expanded)");
                        }

                        break;
                    case WorkspaceEntryKind.Link:
                        builder.Append(" (symbolic link, not followed)");
                        break;
                    default:
                        builder.Append(CultureInfo.InvariantCulture, $" ({entry.Bytes} bytes, {(entry.Lines < 0 ? "too large to count" : entry.Lines + " lines")})");
                        break;
                }

                builder.Append('\n');
            }

            if (truncated)
            {
                builder.Append(CultureInfo.InvariantCulture, $"[listing cut at {_options.MaxListEntries} entries; list a subfolder to see more]\n");
            }

            return builder.ToString();
        });
    }

    /// <summary>Reads a file with line numbers, one page at a time.</summary>
    /// <param name="path">The file, relative to the workspace root.</param>
    /// <param name="startLine">The first line to show (1-based).</param>
    /// <param name="maxLines">The most lines to show; 0 for the configured maximum.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The numbered lines, or an error text.</returns>
    [KernelFunction("read_file")]
    [Description("Read a file with line numbers. Long files are paged: call again with the next startLine. Cost: free (no search, browse or reading unit).")]
    public Task<string> ReadFileAsync(
        [Description("File path relative to the workspace root.")] string path,
        [Description("First line to show, 1-based.")] int startLine = 1,
        [Description("Most lines to show; 0 for the default page size.")] int maxLines = 0,
        CancellationToken cancellationToken = default)
    {
        return GuardAsync(async () =>
        {
            var (relative, lines) = await _workspace.ReadLinesAsync(path, cancellationToken).ConfigureAwait(false);
            if (lines.Count == 0)
            {
                return $"{relative} is empty (0 lines).";
            }

            if (startLine < 1 || startLine > lines.Count)
            {
                return $"Error: start_line {startLine} is outside {relative}, which has lines 1-{lines.Count}.";
            }

            var limit = maxLines <= 0 ? _options.MaxReadLines : Math.Min(maxLines, _options.MaxReadLines);
            var width = lines.Count.ToString(CultureInfo.InvariantCulture).Length;
            var body = new StringBuilder();
            var last = startLine - 1;
            for (var i = startLine - 1; i < lines.Count && i - (startLine - 1) < limit; i++)
            {
                var line = lines[i];
                if (body.Length + line.Length > _options.MaxReadChars && i > startLine - 1)
                {
                    break;
                }

                if (line.Length > _options.MaxReadChars)
                {
                    line = line[.._options.MaxReadChars] + " [line cut]";
                }

                body.Append((i + 1).ToString(CultureInfo.InvariantCulture).PadLeft(width)).Append(" | ").Append(line).Append('\n');
                last = i + 1;
            }

            var header = $"{relative} (lines {startLine}-{last} of {lines.Count})\n";
            var footer = last < lines.Count ? $"[more: call read_file with start_line={last + 1}]\n" : string.Empty;
            return header + body + footer;
        });
    }

    /// <summary>Creates a file.</summary>
    /// <param name="path">The file, relative to the workspace root; missing folders are created.</param>
    /// <param name="content">The content.</param>
    /// <param name="overwrite">Whether an existing file may be replaced.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A confirmation, or an error text.</returns>
    [KernelFunction("create_file")]
    [Description("Create a file (folders are created as needed). Fails if it exists unless overwrite is true. Cost: free (no search, browse or reading unit).")]
    public Task<string> CreateFileAsync(
        [Description("File path relative to the workspace root, e.g. knowledge_base/topic/note.md.")] string path,
        [Description("The full content of the file.")] string content,
        [Description("Replace the file if it already exists.")] bool overwrite = false,
        CancellationToken cancellationToken = default)
    {
        return WriteAsync(path, mustExist: false, old =>
        {
            if (old is not null && !overwrite)
            {
                throw new WorkspaceAccessException($"'{path}' already exists. Pass overwrite=true to replace it, or use append_file / replace_lines to edit it.");
            }

            return content ?? throw new WorkspaceAccessException("content is required.");
        }, cancellationToken);
    }

    /// <summary>Appends text to the end of a file.</summary>
    /// <param name="path">The file, relative to the workspace root; created when missing.</param>
    /// <param name="content">The text to append.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A confirmation, or an error text.</returns>
    [KernelFunction("append_file")]
    [Description("Append text at the end of a file (created if missing). Cost: free (no search, browse or reading unit).")]
    public Task<string> AppendFileAsync(
        [Description("File path relative to the workspace root.")] string path,
        [Description("Text to append; it starts on a new line.")] string content,
        CancellationToken cancellationToken = default)
    {
        return WriteAsync(path, mustExist: false, old =>
        {
            var lines = old is null ? [] : MemoryWorkspace.SplitLines(old);
            lines.AddRange(MemoryWorkspace.SplitLines(content ?? throw new WorkspaceAccessException("content is required.")));
            return MemoryWorkspace.JoinLines(lines);
        }, cancellationToken);
    }

    /// <summary>Inserts lines before a line.</summary>
    /// <param name="path">The file, relative to the workspace root.</param>
    /// <param name="line">The 1-based line to insert before; the line count + 1 appends.</param>
    /// <param name="content">The lines to insert.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A confirmation, or an error text.</returns>
    [KernelFunction("insert_lines")]
    [Description("Insert text before the given line (line count + 1 appends). Cost: free (no search, browse or reading unit).")]
    public Task<string> InsertLinesAsync(
        [Description("File path relative to the workspace root.")] string path,
        [Description("1-based line number to insert before.")] int line,
        [Description("Text to insert (one or more lines).")] string content,
        CancellationToken cancellationToken = default)
    {
        return WriteAsync(path, mustExist: true, old =>
        {
            var lines = MemoryWorkspace.SplitLines(old!);
            if (line < 1 || line > lines.Count + 1)
            {
                throw new WorkspaceAccessException($"line {line} is outside '{path}', which has {lines.Count} lines; use 1-{lines.Count + 1}.");
            }

            lines.InsertRange(line - 1, MemoryWorkspace.SplitLines(content ?? throw new WorkspaceAccessException("content is required.")));
            return MemoryWorkspace.JoinLines(lines);
        }, cancellationToken);
    }

    /// <summary>Replaces a range of lines.</summary>
    /// <param name="path">The file, relative to the workspace root.</param>
    /// <param name="startLine">The first line to replace (1-based).</param>
    /// <param name="endLine">The last line to replace (inclusive).</param>
    /// <param name="content">The new lines; empty to delete the range.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A confirmation, or an error text.</returns>
    [KernelFunction("replace_lines")]
    [Description("Replace lines startLine..endLine (inclusive) with new text. Cost: free (no search, browse or reading unit).")]
    public Task<string> ReplaceLinesAsync(
        [Description("File path relative to the workspace root.")] string path,
        [Description("First line to replace, 1-based.")] int startLine,
        [Description("Last line to replace, inclusive.")] int endLine,
        [Description("Replacement text (one or more lines).")] string content,
        CancellationToken cancellationToken = default)
    {
        return WriteAsync(path, mustExist: true, old =>
        {
            var lines = MemoryWorkspace.SplitLines(old!);
            CheckRange(path, lines.Count, startLine, endLine);
            lines.RemoveRange(startLine - 1, endLine - startLine + 1);
            lines.InsertRange(startLine - 1, MemoryWorkspace.SplitLines(content ?? string.Empty));
            return MemoryWorkspace.JoinLines(lines);
        }, cancellationToken);
    }

    /// <summary>Deletes a range of lines.</summary>
    /// <param name="path">The file, relative to the workspace root.</param>
    /// <param name="startLine">The first line to delete (1-based).</param>
    /// <param name="endLine">The last line to delete (inclusive).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A confirmation, or an error text.</returns>
    [KernelFunction("delete_lines")]
    [Description("Delete lines startLine..endLine (inclusive). Cost: free (no search, browse or reading unit).")]
    public Task<string> DeleteLinesAsync(
        [Description("File path relative to the workspace root.")] string path,
        [Description("First line to delete, 1-based.")] int startLine,
        [Description("Last line to delete, inclusive.")] int endLine,
        CancellationToken cancellationToken = default)
    {
        return WriteAsync(path, mustExist: true, old =>
        {
            var lines = MemoryWorkspace.SplitLines(old!);
            CheckRange(path, lines.Count, startLine, endLine);
            lines.RemoveRange(startLine - 1, endLine - startLine + 1);
            return MemoryWorkspace.JoinLines(lines);
        }, cancellationToken);
    }

    /// <summary>Searches files for lines matching a regular expression.</summary>
    /// <param name="pattern">A .NET regular expression.</param>
    /// <param name="path">The folder or file to search, relative to the workspace root.</param>
    /// <param name="ignoreCase">Whether to ignore case.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>Matching lines as <c>path:line: text</c>, or an error text.</returns>
    [KernelFunction("grep")]
    [Description("Find lines matching a regular expression; returns path:line: text. Cost: free (no search, browse or reading unit).")]
    public Task<string> GrepAsync(
        [Description("Regular expression (.NET syntax).")] string pattern,
        [Description("Folder or file to search, relative to the workspace root.")] string path = ".",
        [Description("Ignore upper/lower case.")] bool ignoreCase = false,
        CancellationToken cancellationToken = default)
    {
        return GuardAsync(async () =>
        {
            if (string.IsNullOrEmpty(pattern))
            {
                return "Error: pattern is empty; pass a regular expression such as 'revenue|profit'.";
            }

            Regex regex;
            try
            {
                regex = new Regex(pattern, RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None), _options.RegexTimeout);
            }
            catch (ArgumentException ex)
            {
                return $"Error: invalid regular expression '{pattern}': {ex.Message}";
            }

            var builder = new StringBuilder();
            var matches = 0;
            var files = 0;
            foreach (var (relative, full) in _workspace.EnumerateFiles(path))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var info = new FileInfo(full);
                if (info.Length > _workspace.Options.MaxFileBytes)
                {
                    continue;
                }

                var text = await File.ReadAllTextAsync(full, cancellationToken).ConfigureAwait(false);
                if (text.Contains('\0', StringComparison.Ordinal))
                {
                    continue; // Binary file.
                }

                files++;
                var lines = MemoryWorkspace.SplitLines(text);
                for (var i = 0; i < lines.Count; i++)
                {
                    bool hit;
                    try
                    {
                        hit = regex.IsMatch(lines[i]);
                    }
                    catch (RegexMatchTimeoutException)
                    {
                        return $"Error: the regular expression '{pattern}' took longer than {_options.RegexTimeout.TotalSeconds:0.##} s on {relative}:{i + 1}; use a simpler pattern.";
                    }

                    if (!hit)
                    {
                        continue;
                    }

                    if (matches == _options.MaxGrepMatches)
                    {
                        builder.Append(CultureInfo.InvariantCulture, $"[stopped at {_options.MaxGrepMatches} matches; narrow the pattern or the path]\n");
                        return builder.ToString();
                    }

                    var line = lines[i].Length > 300 ? lines[i][..300] + "…" : lines[i];
                    builder.Append(relative).Append(':').Append(i + 1).Append(": ").Append(line).Append('\n');
                    matches++;
                }
            }

            return matches == 0
                ? _workspace.RedactPaths($"No line matches '{pattern}' in {files} file(s) under '{MemoryWorkspace.Display(_workspace.NormalizePath(path))}'.")
                : builder.ToString();
        });
    }

    /// <summary>Full-text search over the notes, ranked by relevance.</summary>
    /// <param name="query">Words to look for (Lucene syntax allowed: quotes, AND, OR, wildcards).</param>
    /// <param name="folder">Restricts the search to a folder; empty for the whole workspace.</param>
    /// <param name="top">The most hits to return.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>Ranked hits with the first matching line, or an error text.</returns>
    [KernelFunction("search_notes")]
    [Description("Full-text search over all notes and archived sources, best match first. Cost: free (no search, browse or reading unit).")]
    public Task<string> SearchNotesAsync(
        [Description("Words to look for; quotes for phrases, AND/OR allowed.")] string query,
        [Description("Folder to search in, relative to the workspace root; empty for everything.")] string folder = "",
        [Description("Most results to return.")] int top = 10,
        CancellationToken cancellationToken = default)
    {
        return GuardAsync(async () =>
        {
            var hits = await _workspace.SearchNotesAsync(query, Math.Clamp(top, 1, _options.MaxSearchResults), folder, cancellationToken).ConfigureAwait(false);
            if (hits.Count == 0)
            {
                return _workspace.RedactPaths($"No note matches '{query}'.");
            }

            var builder = new StringBuilder();
            foreach (var hit in hits)
            {
                builder.Append(hit.Path);
                if (hit.LineNumber > 0)
                {
                    builder.Append(':').Append(hit.LineNumber).Append(": ").Append(hit.Snippet);
                }

                builder.Append('\n');
            }

            return builder.ToString();
        });
    }

    /// <summary>Checks the numbered citations of a report against the source archive.</summary>
    /// <param name="path">The report, relative to the workspace root.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>A summary with one line per dangling or orphan reference, or an error text.</returns>
    [KernelFunction("check_citations")]
    [Description("Check that every [n] in the report resolves to an archived source and every reference is cited. Cost: free (no search, browse or reading unit).")]
    public Task<string> CheckCitationsAsync(
        [Description("Report path relative to the workspace root.")] string path = "report.md",
        CancellationToken cancellationToken = default)
    {
        return GuardAsync(async () => (await _citations.CheckAsync(path, cancellationToken).ConfigureAwait(false)).ToString());
    }

    private static void CheckRange(string path, int count, int startLine, int endLine)
    {
        if (startLine < 1 || endLine < startLine || endLine > count)
        {
            throw new WorkspaceAccessException($"lines {startLine}-{endLine} are not a valid range in '{path}', which has {count} lines; use 1 <= start_line <= end_line <= {count}.");
        }
    }

    private Task<string> WriteAsync(string path, bool mustExist, Func<string?, string> edit, CancellationToken cancellationToken)
    {
        return GuardAsync(async () =>
        {
            if (_options.ReadOnly)
            {
                return "Error: the workspace is read-only in this stage; you can list, read, grep and search, but not write.";
            }

            var normalized = _workspace.NormalizePath(path);
            if (FindAncestorOrSelf(_options.ProtectedFiles, normalized) is { } protectedFile)
            {
                return protectedFile.Length == normalized.Length
                    ? $"Error: '{normalized}' is managed by the host and read-only; you can read it but not change it."
                    : $"Error: '{normalized}' is refused: '{protectedFile}' is a file managed by the host, so nothing can be created below it. Choose another path.";
            }

            if (FindAncestorOrSelf(_options.HostFiles, normalized) is { } hostFile && hostFile.Length < normalized.Length)
            {
                return $"Error: '{normalized}' is refused: '{hostFile}' is a file the host writes, so nothing can be created below it. Choose another path.";
            }

            var written = await _workspace.EditAsync(path, mustExist, edit, cancellationToken).ConfigureAwait(false);
            var text = await _workspace.TryReadTextAsync(written, cancellationToken).ConfigureAwait(false) ?? string.Empty;
            return $"OK: {written} now has {MemoryWorkspace.SplitLines(text).Count} lines.";
        });
    }

    /// <summary>The entry of <paramref name="paths"/> that is <paramref name="normalized"/> or one of its folders, as it appears in <paramref name="normalized"/>.</summary>
    private string? FindAncestorOrSelf(ISet<string> paths, string normalized)
    {
        foreach (var entry in paths)
        {
            var candidate = _workspace.NormalizePath(entry);
            if (candidate.Length == 0)
            {
                continue;
            }

            if (normalized.Equals(candidate, StringComparison.OrdinalIgnoreCase)
                || normalized.StartsWith(candidate + "/", StringComparison.OrdinalIgnoreCase))
            {
                return normalized[..candidate.Length];
            }
        }

        return null;
    }

    private string Guard(Func<string> action)
    {
        try
        {
            return RedactError(action());
        }
        catch (Exception ex) when (ex is WorkspaceAccessException or IOException or UnauthorizedAccessException)
        {
            return Fail(ex);
        }
    }

    private async Task<string> GuardAsync(Func<Task<string>> action)
    {
        try
        {
            return RedactError(await action().ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is WorkspaceAccessException or IOException or UnauthorizedAccessException)
        {
            return Fail(ex);
        }
    }

    /// <summary>Error texts echo the model's input, which may hold the workspace's absolute path: show it relative.</summary>
    private string RedactError(string result) =>
        result.StartsWith("Error:", StringComparison.Ordinal) ? _workspace.RedactPaths(result) : result;

    /// <summary>The error text for the model; it never shows the workspace's absolute path (OS messages name full paths).</summary>
    private string Fail(Exception ex)
    {
        if (ex is WorkspaceAccessException)
        {
            return "Error: " + _workspace.RedactPaths(ex.Message);
        }

        _logger.LogWarning(ex, "File tool failed.");
        return "Error: the file operation failed (" + ex.GetType().Name + ": " + _workspace.RedactPaths(ex.Message) + "). Check the path and try again.";
    }
}
