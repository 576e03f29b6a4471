namespace Agents.Plugins.Search;

/// <summary>Options of <see cref="TavilySearchEngine"/>, the Tavily search API.</summary>
public sealed class TavilySearchOptions : IValidatableObject
{
    /// <summary>Gets or sets the API key (<c>tvly-...</c>) sent as a bearer token. Required.</summary>
    [Required(ErrorMessage = "{0} is required (the Tavily API key).")]
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the endpoint. Default: <c>https://api.tavily.com/search</c>.</summary>
    public Uri Endpoint { get; set; } = new("https://api.tavily.com/search");

    /// <summary>Gets or sets the search depth: <c>basic</c> or <c>advanced</c>. Default: <c>basic</c>.</summary>
    [AllowedValues("basic", "advanced", ErrorMessage = "{0} must be basic or advanced.")]
    public string SearchDepth { get; set; } = "basic";

    /// <summary>Gets or sets the topic: <c>general</c> or <c>news</c>. Default: <c>general</c>.</summary>
    [AllowedValues("general", "news", ErrorMessage = "{0} must be general or news.")]
    public string Topic { get; set; } = "general";

    /// <summary>Gets the resilience settings.</summary>
    [ValidateObjectMembers]
    public SearchResilienceOptions Resilience { get; } = new();

    /// <summary>Checks the options.</summary>
    /// <exception cref="OptionsValidationException">An option is missing or invalid; the message names it.</exception>
    public void Validate() => OptionsValidation.ThrowIfFailed<TavilySearchOptions>(new TavilySearchOptionsValidator().Validate(null, this));

    /// <inheritdoc/>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        OptionsValidation.HttpUrlRule(validationContext, Endpoint, nameof(Endpoint));
}
