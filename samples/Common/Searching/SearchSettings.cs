namespace Agents.Samples.Common.Searching;

/// <summary>
/// Which search provider and browser the samples use. <c>--search local|searxng|brave|tavily</c> (default
/// <c>local</c>, or the environment variable <c>AGENTS_SEARCH</c>); <c>--index DIR</c> (or <c>AGENTS_INDEX_DIR</c>,
/// default <c>./documents</c>) for the local Lucene index; <c>--searxng-url URL</c> (or <c>SEARXNG_URL</c>);
/// Brave and Tavily keys from <c>BRAVE_API_KEY</c> / <c>TAVILY_API_KEY</c>; <c>--browser auto|chromium|http</c>;
/// <c>--allow-loopback</c> and <c>--allow-private</c> to let the browser reach local servers.
/// </summary>
public sealed record SearchSettings
{
    /// <summary>The provider names.</summary>
    public static IReadOnlyList<string> Providers { get; } = ["local", "searxng", "brave", "tavily"];

    /// <summary>The browser names.</summary>
    public static IReadOnlyList<string> Browsers { get; } = ["auto", "chromium", "http"];

    /// <summary>The chosen provider.</summary>
    public required string Provider { get; init; }

    /// <summary>The search provider's settings (see <see cref="ToOptions"/> for the whole of them).</summary>
    public required ResearchToolsOptions Tools { get; init; }

    /// <summary>The documents folder of the local index (null for web providers).</summary>
    public string? IndexFolder { get; init; }

    /// <summary><c>auto</c> (Chromium when installed, else plain HTTP), <c>chromium</c> or <c>http</c>.</summary>
    public string Browser { get; init; } = "auto";

    /// <summary>Whether the browser may reach loopback addresses.</summary>
    public bool AllowLoopback { get; init; }

    /// <summary>Whether the browser may reach private network addresses.</summary>
    public bool AllowPrivate { get; init; }

    /// <summary>Reads the search options.</summary>
    /// <exception cref="CommandLineException">An unknown provider or browser, a missing folder, URL or key; the message says how to fix it.</exception>
    public static SearchSettings From(ParseResult args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        string provider = (args.Get("--search") ?? environment("AGENTS_SEARCH") ?? "local").Trim().ToLowerInvariant();
        if (!Providers.Contains(provider))
        {
            throw new CommandLineException($"--search: unknown provider '{provider}'.{Suggestions.DidYouMean(provider, Providers)} Choose one of {string.Join(", ", Providers)}.");
        }

        string browser = (args.Get("--browser") ?? "auto").Trim().ToLowerInvariant();
        if (!Browsers.Contains(browser))
        {
            throw new CommandLineException($"--browser: unknown browser '{browser}'.{Suggestions.DidYouMean(browser, Browsers)} Choose one of {string.Join(", ", Browsers)}.");
        }

        // Saved or generated web pages with a canonical link are browsed at that address (through the web fetcher's rules).
        var tools = new ResearchToolsOptions { SearchProvider = provider, Browser = browser, UseCanonicalLinks = true };
        string? folder = null;
        switch (provider)
        {
            case "local":
                folder = Path.GetFullPath(args.Get("--index") ?? environment("AGENTS_INDEX_DIR") ?? "documents");
                if (!Directory.Exists(folder))
                {
                    throw new CommandLineException(
                        $"The local search index folder '{folder}' does not exist. Put documents (HTML, Markdown, text or PDF) there, point --index DIR at a folder of documents, "
                        + "or search the web with --search searxng (--searxng-url URL), --search brave (BRAVE_API_KEY) or --search tavily (TAVILY_API_KEY).");
                }

                tools.DocumentsFolder = folder;
                tools.IndexFolder = args.Get("--index-cache");
                break;
            case "searxng":
                string? url = args.Get("--searxng-url") ?? environment("SEARXNG_URL");
                if (!Uri.TryCreate(url, UriKind.Absolute, out var baseAddress))
                {
                    throw new CommandLineException("--search searxng needs the instance address: --searxng-url http://localhost:8888/ (or the environment variable SEARXNG_URL).");
                }

                tools.SearxngUrl = baseAddress.ToString();
                break;
            case "brave":
                tools.BraveApiKey = environment("BRAVE_API_KEY") ?? throw new CommandLineException("--search brave needs an API key in the environment variable BRAVE_API_KEY.");
                break;
            default:
                tools.TavilyApiKey = environment("TAVILY_API_KEY") ?? throw new CommandLineException("--search tavily needs an API key in the environment variable TAVILY_API_KEY.");
                break;
        }

        return new SearchSettings
        {
            Provider = provider,
            Tools = tools,
            IndexFolder = folder,
            Browser = browser,
            AllowLoopback = args.Has("--allow-loopback"),
            AllowPrivate = args.Has("--allow-private"),
        };
    }

    /// <summary>The research tools' options for these settings (with the browser and access flags as they are now).</summary>
    public ResearchToolsOptions ToOptions() => new()
    {
        SearchProvider = Tools.SearchProvider,
        DocumentsFolder = Tools.DocumentsFolder,
        IndexFolder = Tools.IndexFolder,
        UseCanonicalLinks = Tools.UseCanonicalLinks,
        SearxngUrl = Tools.SearxngUrl,
        BraveApiKey = Tools.BraveApiKey,
        TavilyApiKey = Tools.TavilyApiKey,
        Browser = Browser,
        AllowLoopback = AllowLoopback,
        AllowPrivateNetworks = AllowPrivate,
    };
}
