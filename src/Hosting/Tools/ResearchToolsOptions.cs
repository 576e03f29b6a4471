namespace Agents.Hosting;

/// <summary>Which research tools the agents get, bound from a <c>Research</c> configuration section.</summary>
public sealed class ResearchToolsOptions
{
    /// <summary>The usual configuration section name.</summary>
    public const string SectionName = "Research";

    /// <summary>
    /// Gets or sets the search provider: <c>local</c> (a Lucene index over <see cref="DocumentsFolder"/>, the default),
    /// <c>searxng</c> (<see cref="SearxngUrl"/>), <c>brave</c> (<see cref="BraveApiKey"/>) or <c>tavily</c> (<see cref="TavilyApiKey"/>).
    /// </summary>
    public string SearchProvider { get; set; } = "local";

    /// <summary>Gets or sets the folder of documents the local search engine indexes; its hits are browsable.</summary>
    public string? DocumentsFolder { get; set; }

    /// <summary>Gets or sets where the local index is kept between runs; in memory when empty.</summary>
    public string? IndexFolder { get; set; }

    /// <summary>
    /// Gets or sets whether a local web page with a canonical link is browsed at that address (through the web
    /// fetcher's rules) instead of from the folder; for saved or generated copies of a live site. Default <see langword="false"/>.
    /// </summary>
    public bool UseCanonicalLinks { get; set; }

    /// <summary>Gets or sets the SearXNG base address (provider <c>searxng</c>).</summary>
    public string? SearxngUrl { get; set; }

    /// <summary>Gets or sets the Brave Search API key (provider <c>brave</c>).</summary>
    public string? BraveApiKey { get; set; }

    /// <summary>Gets or sets the Tavily API key (provider <c>tavily</c>).</summary>
    public string? TavilyApiKey { get; set; }

    /// <summary>Gets or sets the folder the file-system memory tools work in. Default <c>research-workspace</c>.</summary>
    public string WorkspaceRoot { get; set; } = "research-workspace";

    /// <summary>
    /// Gets or sets how pages are read: <c>http</c> (plain fetch, the default), <c>chromium</c> (Playwright, renders
    /// JavaScript; started on the first page read) or <c>auto</c> (Chromium when installed, else plain HTTP).
    /// </summary>
    public string Browser { get; set; } = "http";

    /// <summary>Gets or sets the Chromium executable; default Debian's <c>/usr/bin/chromium</c>.</summary>
    public string? ChromiumPath { get; set; }

    /// <summary>Gets or sets whether browsing may reach loopback addresses (127.0.0.1, ::1). Default <see langword="false"/>.</summary>
    public bool AllowLoopback { get; set; }

    /// <summary>Gets or sets whether browsing may reach private and link-local networks. Default <see langword="false"/>.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>
    /// Gets or sets whether <c>browse</c> condenses each page towards the agent's goal with a reading model (the relevant
    /// passages, each quoted with its location, and a short summary) instead of showing its raw text; the full page still
    /// goes to the archive and stays searchable with <c>find_in_page</c>. It takes effect when a model exists: the
    /// <see cref="SummarizerModel"/>, else the research model. Each summary is charged to the run that called <c>browse</c>
    /// (its tokens, and a unit of the <c>reading</c> category when the run's budget has that category). Default <see langword="true"/>.
    /// </summary>
    public bool SummarizePages { get; set; } = true;

    /// <summary>
    /// Gets or sets a model for the page summaries other than the research model, for example a cheaper endpoint or a local
    /// ONNX folder on the LocalEngine (the same keys as the <c>Model</c> section: <c>Provider</c>, <c>Path</c>,
    /// <c>Endpoint</c>, <c>ModelId</c>, ...). Default: none (the research model summarises).
    /// </summary>
    public ResearchModelOptions? SummarizerModel { get; set; }
}
