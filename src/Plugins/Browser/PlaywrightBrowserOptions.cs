namespace Agents.Plugins.Browsing;

/// <summary>Options of <see cref="PlaywrightBrowser"/> and the per-agent <see cref="PlaywrightPageFetcher"/>s it creates.</summary>
public sealed class PlaywrightBrowserOptions : IValidatableObject
{
    /// <summary>The Debian Chromium binary used by default when it exists.</summary>
    public const string DebianChromiumPath = "/usr/bin/chromium";

    /// <summary>
    /// Gets or sets the Chromium (or Chrome) binary to drive. Default: <see cref="DebianChromiumPath"/> when
    /// it exists, otherwise none (then <see cref="Channel"/> or a Playwright-installed browser is used).
    /// </summary>
    public string? ExecutablePath { get; set; } = File.Exists(DebianChromiumPath) ? DebianChromiumPath : null;

    /// <summary>Gets or sets a browser channel such as <c>chrome</c> or <c>msedge</c> instead of a path. Default: none.</summary>
    public string? Channel { get; set; }

    /// <summary>
    /// Gets the command-line arguments of the browser. Default: <c>--headless --no-sandbox --disable-gpu
    /// --disable-background-networking --disable-component-update --disable-sync --no-first-run</c>.
    /// </summary>
    public IList<string> Arguments { get; } =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    /// <summary>Gets or sets the time limit of one navigation, redirects included. Default: 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", OptionsValidation.MaxTimeSpan, ErrorMessage = "{0} must be at least 100 ms.")]
    public TimeSpan NavigationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how long to wait after the load event for scripts to finish fetching content (network
    /// idle); a page that stays busy is read as it is then. Default: 2 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", OptionsValidation.MaxTimeSpan, ErrorMessage = "{0} must not be negative.")]
    public TimeSpan NetworkIdleTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets the most pages one agent reads at once (pages are pooled and reused). Default: 4.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "{0} must be at least 1.")]
    public int MaxPagesPerAgent { get; set; } = 4;

    /// <summary>
    /// Gets or sets the largest response read, in bytes: a larger main document (HTML or PDF) is refused, a larger
    /// subresource (image, script, ...) is not loaded. Default: 5 MiB.
    /// </summary>
    [Range(1024, int.MaxValue, ErrorMessage = "{0} must be at least 1024.")]
    public int MaxResponseBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Gets or sets the most characters of rendered HTML kept per page; the rest is cut. Default: 4,000,000.</summary>
    [Range(1024, int.MaxValue, ErrorMessage = "{0} must be at least 1024.")]
    public int MaxRenderedCharacters { get; set; } = 4_000_000;

    /// <summary>Gets or sets the User-Agent; the browser's own when null. Default: null.</summary>
    public string? UserAgent { get; set; }

    /// <summary>
    /// Gets the resilience pipeline of the fetcher's own HTTP requests (the page's GET and HEAD requests and redirect
    /// hops; other methods are sent once), one circuit per host: on by default with
    /// <see cref="Resilience.HttpResilienceOptions.ForBrowsing"/> (2 retries on HTTP 429, 5xx, connection failures and
    /// attempt timeouts, <c>Retry-After</c> honoured up to 10 s, 15 s per attempt, the circuit opens when half of at least
    /// 6 attempts in 30 s fail and stays open 30 s). Every retry dials only the addresses the guard checked.
    /// </summary>
    [ValidateObjectMembers]
    public Resilience.HttpResilienceOptions Resilience { get; } = Agents.Plugins.Resilience.HttpResilienceOptions.ForBrowsing();

    /// <summary>Checks the options.</summary>
    /// <exception cref="OptionsValidationException">An option is invalid; the message names it.</exception>
    public void Validate() => OptionsValidation.ThrowIfFailed<PlaywrightBrowserOptions>(new PlaywrightBrowserOptionsValidator().Validate(null, this));

    /// <inheritdoc/>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (ExecutablePath is not null && !File.Exists(ExecutablePath))
        {
            yield return new ValidationResult($"{OptionsValidation.OwnerName(validationContext)}.{nameof(ExecutablePath)}: no browser at '{ExecutablePath}'. Install one (Debian: apt-get install chromium) or set the path.", [nameof(ExecutablePath)]);
        }
    }
}
