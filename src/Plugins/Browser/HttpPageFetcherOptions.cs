namespace Agents.Plugins.Browsing;

/// <summary>Options of <see cref="HttpPageFetcher"/>.</summary>
public sealed class HttpPageFetcherOptions
{
    /// <summary>Gets or sets the largest response body read, in bytes; larger pages are refused. Default: 5 MiB.</summary>
    public int MaxResponseBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Gets or sets the time limit of one page read, redirects included. Default: 30 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the User-Agent header. Default: <c>Agents/1.0 (research agent)</c>.</summary>
    public string UserAgent { get; set; } = "Agents/1.0 (research agent)";

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public void Validate()
    {
        if (MaxResponseBytes < 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxResponseBytes), MaxResponseBytes, $"{nameof(HttpPageFetcherOptions)}.{nameof(MaxResponseBytes)} must be at least 1024.");
        }

        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, $"{nameof(HttpPageFetcherOptions)}.{nameof(Timeout)} must be positive.");
        }

        if (string.IsNullOrWhiteSpace(UserAgent))
        {
            throw new ArgumentException($"{nameof(HttpPageFetcherOptions)}.{nameof(UserAgent)} must not be empty.", nameof(UserAgent));
        }
    }
}
