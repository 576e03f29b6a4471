using Microsoft.Extensions.Options;

namespace Agents.Plugins.Search;

/// <summary>Options of <see cref="BraveSearchEngine"/>, the Brave Search web API.</summary>
public sealed class BraveSearchOptions
{
    /// <summary>Gets or sets the subscription token sent as <c>X-Subscription-Token</c>. Required.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the endpoint. Default: <c>https://api.search.brave.com/res/v1/web/search</c>.</summary>
    public Uri Endpoint { get; set; } = new("https://api.search.brave.com/res/v1/web/search");

    /// <summary>Gets or sets the two-letter country code (<c>country</c>). Default: none.</summary>
    public string? Country { get; set; }

    /// <summary>Gets or sets the search language (<c>search_lang</c>). Default: none.</summary>
    public string? SearchLanguage { get; set; }

    /// <summary>Gets or sets the safe-search level: <c>off</c>, <c>moderate</c> or <c>strict</c>. Default: <c>moderate</c>.</summary>
    public string SafeSearch { get; set; } = "moderate";

    /// <summary>Gets the resilience settings.</summary>
    public SearchResilienceOptions Resilience { get; } = new();

    /// <summary>Checks the options.</summary>
    /// <exception cref="OptionsValidationException">An option is missing or invalid; the message names it.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            throw new OptionsValidationException(nameof(BraveSearchOptions), typeof(BraveSearchOptions), [$"{nameof(BraveSearchOptions)}.{nameof(ApiKey)} is required (the Brave Search subscription token)."]);
        }

        if (Endpoint is null || !Endpoint.IsAbsoluteUri || (Endpoint.Scheme != Uri.UriSchemeHttp && Endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new OptionsValidationException(nameof(BraveSearchOptions), typeof(BraveSearchOptions), [$"{nameof(BraveSearchOptions)}.{nameof(Endpoint)} must be an absolute http or https URL."]);
        }

        if (SafeSearch is not ("off" or "moderate" or "strict"))
        {
            throw new OptionsValidationException(nameof(BraveSearchOptions), typeof(BraveSearchOptions), [$"{nameof(BraveSearchOptions)}.{nameof(SafeSearch)} must be off, moderate or strict."]);
        }

        Resilience.Validate($"{nameof(BraveSearchOptions)}.{nameof(Resilience)}");
    }
}
