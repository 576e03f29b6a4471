namespace Agents.Plugins.Search;

/// <summary>Options of <see cref="BraveSearchEngine"/>, the Brave Search web API.</summary>
public sealed class BraveSearchOptions : IValidatableObject
{
    /// <summary>Gets or sets the subscription token sent as <c>X-Subscription-Token</c>. Required.</summary>
    [Required(ErrorMessage = "{0} is required (the Brave Search subscription token).")]
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the endpoint. Default: <c>https://api.search.brave.com/res/v1/web/search</c>.</summary>
    public Uri Endpoint { get; set; } = new("https://api.search.brave.com/res/v1/web/search");

    /// <summary>Gets or sets the two-letter country code (<c>country</c>). Default: none.</summary>
    public string? Country { get; set; }

    /// <summary>Gets or sets the search language (<c>search_lang</c>). Default: none.</summary>
    public string? SearchLanguage { get; set; }

    /// <summary>Gets or sets the safe-search level: <c>off</c>, <c>moderate</c> or <c>strict</c>. Default: <c>moderate</c>.</summary>
    [AllowedValues("off", "moderate", "strict", ErrorMessage = "{0} must be off, moderate or strict.")]
    public string SafeSearch { get; set; } = "moderate";

    /// <summary>Gets the resilience settings.</summary>
    [ValidateObjectMembers]
    public SearchResilienceOptions Resilience { get; } = new();

    /// <summary>Checks the options.</summary>
    /// <exception cref="OptionsValidationException">An option is missing or invalid; the message names it.</exception>
    public void Validate() => OptionsValidation.ThrowIfFailed<BraveSearchOptions>(new BraveSearchOptionsValidator().Validate(null, this));

    /// <inheritdoc/>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        OptionsValidation.HttpUrlRule(validationContext, Endpoint, nameof(Endpoint));
}
