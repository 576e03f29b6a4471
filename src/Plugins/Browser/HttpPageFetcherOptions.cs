using Agents.Plugins.Resilience;

namespace Agents.Plugins.Browsing;

/// <summary>Options of <see cref="HttpPageFetcher"/>.</summary>
public sealed class HttpPageFetcherOptions
{
    /// <summary>Gets or sets the largest response body read, in bytes; larger pages are refused. Default: 5 MiB.</summary>
    [Range(1024, int.MaxValue, ErrorMessage = "{0} must be at least 1024.")]
    public int MaxResponseBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Gets or sets the time limit of one page read, redirects included. Default: 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00", OptionsValidation.MaxTimeSpan, MinimumIsExclusive = true, ErrorMessage = "{0} must be positive.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the User-Agent header. Default: <c>Agents/1.0 (research agent)</c>.</summary>
    [Required(ErrorMessage = "{0} must not be empty.")]
    public string UserAgent { get; set; } = "Agents/1.0 (research agent)";

    /// <summary>
    /// Gets the resilience pipeline of every request (each redirect hop is its own request), one circuit per host: on by
    /// default with <see cref="HttpResilienceOptions.ForBrowsing"/> (2 retries on HTTP 429, 5xx, connection failures and
    /// attempt timeouts, <c>Retry-After</c> honoured up to 10 s, 15 s per attempt, the circuit opens when half of at least
    /// 6 attempts in 30 s fail and stays open 30 s). The address guard checks every attempt. <see cref="Timeout"/> still
    /// bounds the whole read, retries included.
    /// </summary>
    [ValidateObjectMembers]
    public HttpResilienceOptions Resilience { get; } = HttpResilienceOptions.ForBrowsing();

    /// <summary>Checks the options.</summary>
    /// <exception cref="OptionsValidationException">An option is invalid; the message names it.</exception>
    public void Validate() => OptionsValidation.ThrowIfFailed<HttpPageFetcherOptions>(new HttpPageFetcherOptionsValidator().Validate(null, this));
}
