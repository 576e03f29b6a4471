namespace Agents.Plugins.Memory;

/// <summary>Writes files so that a crash leaves either the old or the new content, never a torn file.</summary>
internal static class AtomicFile
{
    /// <summary>The prefix of temporary files; they are hidden from listings and searches.</summary>
    public const string TempPrefix = ".tmp-";

    // Each attempt loses only if another workspace removes leftovers in the microseconds between the create and the lock,
    // or between the close and the rename.
    private const int MaxAttempts = 20;

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    public static byte[] Encode(string content) => Utf8NoBom.GetBytes(content);

    /// <summary>
    /// Writes <paramref name="bytes"/> to a temporary file in the same folder, flushes it to disk and renames it
    /// over <paramref name="fullPath"/>.
    /// </summary>
    /// <returns><see langword="false"/> when <paramref name="overwrite"/> is false and the file already exists.</returns>
    public static async Task<bool> WriteAsync(string fullPath, byte[] bytes, bool overwrite, CancellationToken cancellationToken)
    {
        // A temporary file can vanish before the rename when another workspace on the same folder removes
        // leftovers as it opens (RemoveStale). The write is then simply made again with a new temporary file.
        for (var attempt = 1; ; attempt++)
        {
            var written = await TryWriteAsync(fullPath, bytes, overwrite, cancellationToken).ConfigureAwait(false);
            if (written is { } result)
            {
                return result;
            }

            if (attempt == MaxAttempts)
            {
                throw new IOException($"The temporary file for '{Path.GetFileName(fullPath)}' was removed {MaxAttempts} times before it could be renamed; try again.");
            }
        }
    }

    /// <summary>Gets whether <paramref name="fileName"/> has the form of a temporary file this class creates.</summary>
    /// <param name="fileName">A file name without folder.</param>
    /// <returns><see langword="true"/> for <c>.tmp-</c> followed by 32 lower-case hex digits.</returns>
    public static bool IsTempFileName(string fileName)
    {
        if (fileName.Length != TempPrefix.Length + 32 || !fileName.StartsWith(TempPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in fileName.AsSpan(TempPrefix.Length))
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Removes the temporary files a killed process left below <paramref name="root"/>: regular files whose name has the form
    /// <see cref="IsTempFileName"/> and that no open handle holds. A writer that is still running holds its temporary file
    /// open with <see cref="FileShare.None"/> (an exclusive lock); one that closed it and has not yet renamed it retries (see <see cref="WriteAsync"/>).
    /// </summary>
    /// <param name="root">The folder to clean, recursively (symbolic links are not followed).</param>
    /// <param name="onError">Called for a file that could not be examined or removed.</param>
    /// <returns>The number of files removed.</returns>
    public static int RemoveStale(string root, Action<string, Exception> onError)
    {
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            AttributesToSkip = FileAttributes.ReparsePoint,
            IgnoreInaccessible = true,
            MatchType = MatchType.Simple,
        };
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(root, TempPrefix + "*", options))
        {
            if (!IsTempFileName(Path.GetFileName(file)))
            {
                continue;
            }

            try
            {
                if (new FileInfo(file).LinkTarget is not null)
                {
                    continue;
                }

                // A shared lock fails while a writer holds its exclusive one. It is only shared so that, should the writer
                // rename the file in the meantime, readers of the renamed file are not blocked. Deleted when closed.
                using (new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.DeleteOnClose))
                {
                }

                removed++;
            }
            catch (FileNotFoundException)
            {
            }
            catch (IOException ex)
            {
                onError(file, ex);
            }
            catch (UnauthorizedAccessException ex)
            {
                onError(file, ex);
            }
        }

        return removed;
    }

    /// <summary>One write: <see langword="null"/> when another workspace's cleanup took the temporary file before the rename.</summary>
    private static async Task<bool?> TryWriteAsync(string fullPath, byte[] bytes, bool overwrite, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, TempPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            var streamOptions = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                Options = FileOptions.Asynchronous,
            };
            FileStream stream;
            try
            {
                stream = new FileStream(temp, streamOptions);
            }
            catch (IOException) when (File.Exists(temp))
            {
                // The file was created, but another workspace's RemoveStale opened it before this writer took its lock
                // (on Unix the lock is taken just after the create): that cleanup removes it when it closes. Write
                // again under a new name.
                TryDelete(temp);
                return null;
            }

            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (!overwrite && File.Exists(fullPath))
            {
                File.Delete(temp);
                return false;
            }

            try
            {
                File.Move(temp, fullPath, overwrite);
            }
            catch (FileNotFoundException) when (!File.Exists(temp))
            {
                return null;
            }
            catch (IOException) when (!overwrite && File.Exists(fullPath))
            {
                File.Delete(temp);
                return false;
            }

            return true;
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
