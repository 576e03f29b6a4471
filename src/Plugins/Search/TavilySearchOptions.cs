using Microsoft.Extensions.Options;

namespace Agents.Plugins.Search;

/// <summary>Options of <see cref="TavilySearchEngine"/>, the Tavily search API.</summary>
public sealed class TavilySearchOptions
{
    /// <summary>Gets or sets the API key (<c>tvly-...</c>) sent as a bearer token. Required.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the endpoint. Default: <c>https://api.tavily.com/search</c>.</summary>
    public Uri Endpoint { get; set; } = new("https://api.tavily.com/search");

    /// <summary>Gets or sets the search depth: <c>basic</c> or <c>advanced</c>. Default: <c>basic</c>.</summary>
    public string SearchDepth { get; set; } = "basic";

    /// <summary>Gets or sets the topic: <c>general</c> or <c>news</c>. Default: <c>general</c>.</summary>
    public string Topic { get; set; } = "general";

    /// <summary>Gets the resilience settings.</summary>
    public SearchResilienceOptions Resilience { get; } = new();

    /// <summary>Checks the options.</summary>
    /// <exception cref="OptionsValidationException">An option is missing or invalid; the message names it.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            throw new OptionsValidationException(nameof(TavilySearchOptions), typeof(TavilySearchOptions), [$"{nameof(TavilySearchOptions)}.{nameof(ApiKey)} is required (the Tavily API key)."]);
        }

        if (Endpoint is null || !Endpoint.IsAbsoluteUri || (Endpoint.Scheme != Uri.UriSchemeHttp && Endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new OptionsValidationException(nameof(TavilySearchOptions), typeof(TavilySearchOptions), [$"{nameof(TavilySearchOptions)}.{nameof(Endpoint)} must be an absolute http or https URL."]);
        }

        if (SearchDepth is not ("basic" or "advanced"))
        {
            throw new OptionsValidationException(nameof(TavilySearchOptions), typeof(TavilySearchOptions), [$"{nameof(TavilySearchOptions)}.{nameof(SearchDepth)} must be basic or advanced."]);
        }

        if (Topic is not ("general" or "news"))
        {
            throw new OptionsValidationException(nameof(TavilySearchOptions), typeof(TavilySearchOptions), [$"{nameof(TavilySearchOptions)}.{nameof(Topic)} must be general or news."]);
        }

        Resilience.Validate($"{nameof(TavilySearchOptions)}.{nameof(Resilience)}");
    }
}
