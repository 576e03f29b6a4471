using System.ComponentModel.DataAnnotations;
using Agents.Plugins.LocalDocuments;
using Agents.Plugins.Resilience;
using Agents.Plugins.Search.Local;

namespace Agents.Plugins.Tests.Options;

/// <summary>
/// Every option of the plugins that has a rule: a bad value throws <see cref="OptionsValidationException"/> whose message
/// names the option (the rules are DataAnnotations checked by generated validators, and IValidatableObject for the rest).
/// </summary>
public sealed class PluginOptionsValidationTests
{
    /// <summary>A folder that exists (the test output folder), for the options that need one.</summary>
    private static readonly string Root = AppContext.BaseDirectory;

    /// <summary>Each case: what it sets wrong, and the option path the message must name.</summary>
    private static readonly Dictionary<string, (Action Validate, string Option)> Cases = new()
    {
        ["web-access-redirects"] = (() => new WebAccessOptions { MaxRedirects = -1 }.Validate(), "WebAccessOptions.MaxRedirects"),
        ["resilience-retries"] = (() => Resilience(r => r.MaxRetryAttempts = -1).Validate(), "HttpResilienceOptions.MaxRetryAttempts"),
        ["resilience-base-delay"] = (() => Resilience(r => r.BaseDelay = TimeSpan.FromSeconds(-1)).Validate(), "HttpResilienceOptions.BaseDelay"),
        ["resilience-max-delay"] = (() => Resilience(r => r.MaxDelay = TimeSpan.FromMilliseconds(1)).Validate(), "HttpResilienceOptions.MaxDelay"),
        ["resilience-retry-after"] = (() => Resilience(r => r.MaxRetryAfter = TimeSpan.FromSeconds(-1)).Validate(), "HttpResilienceOptions.MaxRetryAfter"),
        ["resilience-attempt-timeout"] = (() => Resilience(r => r.AttemptTimeout = TimeSpan.FromDays(2)).Validate(), "HttpResilienceOptions.AttemptTimeout"),
        ["resilience-ratio"] = (() => Resilience(r => r.BreakerFailureRatio = 1.5).Validate(), "HttpResilienceOptions.BreakerFailureRatio"),
        ["resilience-throughput"] = (() => Resilience(r => r.BreakerMinimumThroughput = 1).Validate(), "HttpResilienceOptions.BreakerMinimumThroughput"),
        ["resilience-sampling"] = (() => Resilience(r => r.BreakerSamplingDuration = TimeSpan.FromMilliseconds(100)).Validate(), "HttpResilienceOptions.BreakerSamplingDuration"),
        ["resilience-break"] = (() => Resilience(r => r.BreakDuration = TimeSpan.FromMilliseconds(100)).Validate(), "HttpResilienceOptions.BreakDuration"),
        ["search-resilience-queue"] = (() => new SearchResilienceOptions { QueueLimit = -1 }.Validate(), "SearchResilienceOptions.QueueLimit"),
        ["search-resilience-owner"] = (() => new SearchResilienceOptions { MaxConcurrentRequests = 0 }.Validate("Search:Brave:Resilience"), "Search:Brave:Resilience.MaxConcurrentRequests"),
        ["brave-endpoint"] = (() => new BraveSearchOptions { ApiKey = "k", Endpoint = new Uri("ftp://127.0.0.1/") }.Validate(), "BraveSearchOptions.Endpoint"),
        ["brave-resilience-delay"] = (() => Brave(r => r.MaxDelay = TimeSpan.Zero).Validate(), "BraveSearchOptions.Resilience.MaxDelay"),
        ["tavily-endpoint"] = (() => new TavilySearchOptions { ApiKey = "k", Endpoint = new Uri("/search", UriKind.Relative) }.Validate(), "TavilySearchOptions.Endpoint"),
        ["searxng-safesearch"] = (() => new SearxngSearchOptions { BaseAddress = new Uri("http://127.0.0.1/"), SafeSearch = 3 }.Validate(), "SearxngSearchOptions.SafeSearch"),
        ["web-search-results"] = (() => new WebSearchPluginOptions { ResultsPerQuery = 51 }.Validate(), "WebSearchPluginOptions.ResultsPerQuery"),
        ["web-search-query-length"] = (() => new WebSearchPluginOptions { MaxQueryLength = 9 }.Validate(), "WebSearchPluginOptions.MaxQueryLength"),
        ["web-search-snippet"] = (() => new WebSearchPluginOptions { MaxSnippetLength = 19 }.Validate(), "WebSearchPluginOptions.MaxSnippetLength"),
        ["web-search-cache"] = (() => new WebSearchPluginOptions { CacheDuration = TimeSpan.FromSeconds(-1) }.Validate(), "WebSearchPluginOptions.CacheDuration"),
        ["web-search-entries"] = (() => new WebSearchPluginOptions { MaxCacheEntries = 0 }.Validate(), "WebSearchPluginOptions.MaxCacheEntries"),
        ["documents-extensions"] = (() => Documents(o => o.Extensions.Clear()).Validate(), "LocalDocumentsOptions.Extensions"),
        ["documents-bytes"] = (() => Documents(o => o.MaxDocumentBytes = 0).Validate(), "LocalDocumentsOptions.MaxDocumentBytes"),
        ["index-directory"] = (() => new LocalIndexOptions { DocumentsDirectory = " " }.Validate(), "LocalIndexOptions.DocumentsDirectory"),
        ["index-bytes"] = (() => new LocalIndexOptions { DocumentsDirectory = Root, MaxFileBytes = 0 }.Validate(), "LocalIndexOptions.MaxFileBytes"),
        ["index-refresh"] = (() => new LocalIndexOptions { DocumentsDirectory = Root, RefreshInterval = TimeSpan.FromSeconds(-1) }.Validate(), "LocalIndexOptions.RefreshInterval"),
        ["index-stored"] = (() => new LocalIndexOptions { DocumentsDirectory = Root, MaxStoredCharacters = 99 }.Validate(), "LocalIndexOptions.MaxStoredCharacters"),
        ["playwright-navigation"] = (() => new PlaywrightBrowserOptions { ExecutablePath = null, NavigationTimeout = TimeSpan.FromMilliseconds(99) }.Validate(), "PlaywrightBrowserOptions.NavigationTimeout"),
        ["playwright-idle"] = (() => new PlaywrightBrowserOptions { ExecutablePath = null, NetworkIdleTimeout = TimeSpan.FromSeconds(-1) }.Validate(), "PlaywrightBrowserOptions.NetworkIdleTimeout"),
        ["playwright-pages"] = (() => new PlaywrightBrowserOptions { ExecutablePath = null, MaxPagesPerAgent = 0 }.Validate(), "PlaywrightBrowserOptions.MaxPagesPerAgent"),
        ["playwright-bytes"] = (() => new PlaywrightBrowserOptions { ExecutablePath = null, MaxResponseBytes = 1023 }.Validate(), "PlaywrightBrowserOptions.MaxResponseBytes"),
        ["playwright-rendered"] = (() => new PlaywrightBrowserOptions { ExecutablePath = null, MaxRenderedCharacters = 1023 }.Validate(), "PlaywrightBrowserOptions.MaxRenderedCharacters"),
        ["http-fetcher-bytes"] = (() => new HttpPageFetcherOptions { MaxResponseBytes = 1023 }.Validate(), "HttpPageFetcherOptions.MaxResponseBytes"),
        ["http-fetcher-timeout"] = (() => new HttpPageFetcherOptions { Timeout = TimeSpan.Zero }.Validate(), "HttpPageFetcherOptions.Timeout"),
        ["http-fetcher-user-agent"] = (() => new HttpPageFetcherOptions { UserAgent = " " }.Validate(), "HttpPageFetcherOptions.UserAgent"),
        ["browser-urls"] = (() => new BrowserPluginOptions { MaxUrlsPerCall = 21 }.Validate(), "BrowserPluginOptions.MaxUrlsPerCall"),
        ["browser-links"] = (() => new BrowserPluginOptions { MaxLinks = -1 }.Validate(), "BrowserPluginOptions.MaxLinks"),
        ["browser-cached"] = (() => new BrowserPluginOptions { MaxCachedPages = 0 }.Validate(), "BrowserPluginOptions.MaxCachedPages"),
        ["browser-find"] = (() => new BrowserPluginOptions { MaxFindMatches = 0 }.Validate(), "BrowserPluginOptions.MaxFindMatches"),
        ["memory-read-chars"] = (() => new FileSystemMemoryPluginOptions { MaxReadChars = 0 }.Validate(), "FileSystemMemoryPluginOptions.MaxReadChars"),
        ["memory-list"] = (() => new FileSystemMemoryPluginOptions { MaxListEntries = 0 }.Validate(), "FileSystemMemoryPluginOptions.MaxListEntries"),
        ["memory-grep"] = (() => new FileSystemMemoryPluginOptions { MaxGrepMatches = 0 }.Validate(), "FileSystemMemoryPluginOptions.MaxGrepMatches"),
        ["memory-search"] = (() => new FileSystemMemoryPluginOptions { MaxSearchResults = 0 }.Validate(), "FileSystemMemoryPluginOptions.MaxSearchResults"),
        ["reader-schema"] = (() => new ModelReaderPluginOptions { MaxSchemaChars = 99 }.Validate(), "ModelReaderPluginOptions.MaxSchemaChars"),
        ["reader-input-max"] = (() => new ModelReaderPluginOptions { MaxInputChars = 2_000_001 }.Validate(), "ModelReaderPluginOptions.MaxInputChars"),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void A_bad_option_throws_OptionsValidationException_naming_it(string name)
    {
        var (validate, option) = Cases[name];
        var ex = Assert.Throws<OptionsValidationException>(validate);
        Assert.Contains(option, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_are_valid()
    {
        new WebAccessOptions().Validate();
        new HttpResilienceOptions().Validate();
        HttpResilienceOptions.ForBrowsing().Validate();
        new SearchResilienceOptions().Validate();
        new BraveSearchOptions { ApiKey = "k" }.Validate();
        new TavilySearchOptions { ApiKey = "k" }.Validate();
        new SearxngSearchOptions { BaseAddress = new Uri("http://127.0.0.1:8888/") }.Validate();
        new WebSearchPluginOptions().Validate();
        new LocalDocumentsOptions { RootDirectory = Root }.Validate();
        new LocalIndexOptions { DocumentsDirectory = Root }.Validate();
        new PlaywrightBrowserOptions { ExecutablePath = null }.Validate();
        new HttpPageFetcherOptions().Validate();
        new BrowserPluginOptions().Validate();
        new FileSystemMemoryPluginOptions().Validate();
        new MemoryWorkspaceOptions { RootPath = Root }.Validate();
        new ModelReaderPluginOptions().Validate();
    }

    [Fact]
    public void Every_bad_option_is_reported_at_once()
    {
        var options = new BrowserPluginOptions { ChunkSize = 10, MaxUrlsPerCall = 0, MaxFindMatches = 0 };
        var ex = Assert.Throws<OptionsValidationException>(options.Validate);

        Assert.Equal(3, ex.Failures.Count());
        Assert.Contains("BrowserPluginOptions.ChunkSize", ex.Message, StringComparison.Ordinal);
        Assert.Contains("BrowserPluginOptions.MaxUrlsPerCall", ex.Message, StringComparison.Ordinal);
        Assert.Contains("BrowserPluginOptions.MaxFindMatches", ex.Message, StringComparison.Ordinal);
        Assert.Equal(typeof(BrowserPluginOptions), ex.OptionsType);
    }

    [Fact]
    public void Nested_resilience_failures_are_reported_with_the_owner_s_own()
    {
        var options = new TavilySearchOptions { ApiKey = "k", Topic = "sports" };
        options.Resilience.QueueLimit = -1;

        var ex = Assert.Throws<OptionsValidationException>(options.Validate);

        Assert.Contains("TavilySearchOptions.Topic", ex.Message, StringComparison.Ordinal);
        Assert.Contains("TavilySearchOptions.Resilience.QueueLimit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_rules_are_data_annotations_that_any_validator_reads()
    {
        // What ValidateDataAnnotations() in the options pattern or a configuration binder's validation sees.
        var options = new WebSearchPluginOptions { ResultsPerQuery = 0 };
        var results = new List<ValidationResult>();

        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        Assert.Equal(nameof(WebSearchPluginOptions.ResultsPerQuery), Assert.Single(Assert.Single(results).MemberNames));
    }

    [Fact]
    public void Cross_property_rules_run_under_DataAnnotations_too()
    {
        var options = new SearxngSearchOptions { BaseAddress = new Uri("file:///etc/") };
        var results = new List<ValidationResult>();

        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        Assert.Contains("SearxngSearchOptions.BaseAddress", Assert.Single(results).ErrorMessage, StringComparison.Ordinal);
    }

    private static HttpResilienceOptions Resilience(Action<HttpResilienceOptions> configure)
    {
        var options = new HttpResilienceOptions();
        configure(options);
        return options;
    }

    private static BraveSearchOptions Brave(Action<SearchResilienceOptions> configure)
    {
        var options = new BraveSearchOptions { ApiKey = "k" };
        configure(options.Resilience);
        return options;
    }

    private static LocalDocumentsOptions Documents(Action<LocalDocumentsOptions> configure)
    {
        var options = new LocalDocumentsOptions { RootDirectory = Root };
        configure(options);
        return options;
    }
}
