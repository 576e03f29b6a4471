namespace Agents.Plugins.Browsing;

/// <summary>Reads a response body up to a byte limit, so that a huge or endless answer cannot exhaust memory; used by the page fetchers and the search API clients.</summary>
public static class CappedBody
{
    /// <summary>Reads the body into memory, stopping as soon as it grows past <paramref name="max"/> bytes.</summary>
    /// <param name="content">The response content.</param>
    /// <param name="max">The most bytes to read; zero allows only an empty body.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The body; <see langword="null"/> when it is (or its <c>Content-Length</c> announces it is) larger than <paramref name="max"/> bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="content"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="max"/> is negative.</exception>
    public static async Task<byte[]?> ReadAsync(HttpContent content, long max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        if (content.Headers.ContentLength > max)
        {
            return null;
        }

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[32 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > max)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }
}
