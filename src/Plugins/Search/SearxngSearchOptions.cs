namespace Agents.Plugins.Search;

/// <summary>Options of <see cref="SearxngSearchEngine"/>, a self-hosted SearXNG instance.</summary>
public sealed class SearxngSearchOptions : IValidatableObject
{
    /// <summary>Gets or sets the base address of the instance, for example <c>http://localhost:8888/</c>. Required.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>Gets or sets the comma-separated categories (<c>categories</c> parameter). Default: none (the instance's default).</summary>
    public string? Categories { get; set; }

    /// <summary>Gets or sets the comma-separated engines (<c>engines</c> parameter). Default: none (the instance's default).</summary>
    public string? Engines { get; set; }

    /// <summary>Gets or sets the search language, for example <c>en</c>. Default: none.</summary>
    public string? Language { get; set; }

    /// <summary>Gets or sets the safe-search level: 0 off, 1 moderate, 2 strict. Default: 1.</summary>
    [Range(0, 2, ErrorMessage = "{0} must be 0, 1 or 2.")]
    public int SafeSearch { get; set; } = 1;

    /// <summary>Gets the resilience settings. SearXNG's limiter is strict, so keep concurrency low (default 2).</summary>
    [ValidateObjectMembers]
    public SearchResilienceOptions Resilience { get; } = new();

    /// <summary>Checks the options.</summary>
    /// <exception cref="OptionsValidationException">An option is missing or invalid; the message names it.</exception>
    public void Validate() => OptionsValidation.ThrowIfFailed<SearxngSearchOptions>(new SearxngSearchOptionsValidator().Validate(null, this));

    /// <inheritdoc/>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        OptionsValidation.HttpUrlRule(validationContext, BaseAddress, nameof(BaseAddress), " of the SearXNG instance");
}
