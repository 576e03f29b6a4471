using System.Text;

namespace Agents.Plugins.Memory;

/// <summary>Writes files so that a crash leaves either the old or the new content, never a torn file.</summary>
internal static class AtomicFile
{
    /// <summary>The prefix of temporary files; they are hidden from listings and searches.</summary>
    public const string TempPrefix = ".tmp-";

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    public static byte[] Encode(string content) => Utf8NoBom.GetBytes(content);

    /// <summary>
    /// Writes <paramref name="bytes"/> to a temporary file in the same folder, flushes it to disk and renames it
    /// over <paramref name="fullPath"/>.
    /// </summary>
    /// <returns><see langword="false"/> when <paramref name="overwrite"/> is false and the file already exists.</returns>
    public static async Task<bool> WriteAsync(string fullPath, byte[] bytes, bool overwrite, CancellationToken cancellationToken)
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
            var stream = new FileStream(temp, streamOptions);
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
