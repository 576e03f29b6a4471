namespace Agents.Plugins.Search;

/// <summary>Options of <see cref="WebSearchPlugin"/>.</summary>
public sealed class WebSearchPluginOptions
{
    /// <summary>Gets or sets how many hits are shown per query. Default: 10 (as in BATS). Range: 1 to 50.</summary>
    [Range(1, 50)]
    public int ResultsPerQuery { get; set; } = 10;

    /// <summary>Gets or sets the most queries one call may hold; a call with more is refused with a clear message. Default: 10. Range: 1 to 50.</summary>
    [Range(1, 50)]
    public int MaxQueriesPerCall { get; set; } = 10;

    /// <summary>Gets or sets the longest query, in characters; longer ones are refused. Default: 400.</summary>
    [Range(10, int.MaxValue, ErrorMessage = "{0} must be at least 10.")]
    public int MaxQueryLength { get; set; } = 400;

    /// <summary>Gets or sets the longest snippet shown, in characters. Default: 300.</summary>
    [Range(20, int.MaxValue, ErrorMessage = "{0} must be at least 20.")]
    public int MaxSnippetLength { get; set; } = 300;

    /// <summary>Gets or sets how long a query's hits are reused from the in-memory cache. <see cref="TimeSpan.Zero"/> turns the cache off. Default: 1 hour.</summary>
    [Range(typeof(TimeSpan), "00:00:00", OptionsValidation.MaxTimeSpan, ErrorMessage = "{0} must not be negative.")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets the most cached queries; the oldest are dropped first. Default: 1,000.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "{0} must be at least 1.")]
    public int MaxCacheEntries { get; set; } = 1_000;

    /// <summary>
    /// Gets or sets a value indicating whether a query answered from the cache still costs a budget unit
    /// (the tool gives back the units of cache hits otherwise). Default: <see langword="false"/> (cache hits are free).
    /// </summary>
    public bool ChargeCacheHits { get; set; }

    /// <summary>Checks the options.</summary>
    /// <exception cref="OptionsValidationException">An option is out of range; the message names it.</exception>
    public void Validate() => OptionsValidation.ThrowIfFailed<WebSearchPluginOptions>(new WebSearchPluginOptionsValidator().Validate(null, this));
}
