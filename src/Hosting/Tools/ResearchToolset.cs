using Agents.Plugins.Archiving;
using Agents.Plugins.Browsing;
using Agents.Plugins.LocalDocuments;
using Agents.Plugins.Memory;
using Agents.Plugins.Reading;
using Agents.Plugins.Search;
using Agents.Plugins.Search.Local;
using Agents.Plugins.Security;
using Microsoft.SemanticKernel;

namespace Agents.Hosting;

/// <summary>
/// The research tools, built once from <see cref="ResearchToolsOptions"/>: the search engine, the page fetcher (Chromium
/// starts on the first page read) and the memory workspace root. Tools are Semantic Kernel plugins named
/// <c>web</c>, <c>browser</c> and <c>memory</c>; every consumer (SK, M.E.AI, MCP) sees them as <c>plugin_function</c>:
/// <c>web_search</c>, <c>browser_browse</c>, <c>browser_find_in_page</c>, <c>memory_*</c>. With the local search engine,
/// hits carry addresses of the read-only local documents virtual host, which <c>browse</c> reads from the folder.
/// When a model is given and <see cref="ResearchToolsOptions.SummarizePages"/> is on, <c>browse</c> condenses each page
/// towards the agent's goal with it (<see cref="PageSummarizer"/>), charged to the run that called <c>browse</c>.
/// </summary>
public sealed class ResearchToolset : IAsyncDisposable
{
    /// <summary>The search plugin's name.</summary>
    public const string WebPluginName = "web";

    /// <summary>The browser plugin's name.</summary>
    public const string BrowserPluginName = "browser";

    /// <summary>The memory plugin's name.</summary>
    public const string MemoryPluginName = "memory";

    /// <summary>The search tool's name.</summary>
    public const string SearchToolName = WebPluginName + "_search";

    /// <summary>The browse tool's name.</summary>
    public const string BrowseToolName = BrowserPluginName + "_browse";

    /// <summary>The find-in-page tool's name.</summary>
    public const string FindInPageToolName = BrowserPluginName + "_find_in_page";

    private readonly ISearchEngine _engine;
    private readonly IPageFetcher _fetcher;
    private readonly HttpClient _http;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _timeProvider;
    private readonly ResearchModel? _ownedSummarizerModel;

    private ResearchToolset(ResearchToolsOptions options, ISearchEngine engine, LocalDocumentLinks? links, HttpClient http, ILoggerFactory loggerFactory, TimeProvider timeProvider, IChatClient? summarizer, ResearchModel? ownedSummarizerModel)
    {
        Options = options;
        _engine = engine;
        _http = http;
        _ownedSummarizerModel = ownedSummarizerModel;
        PageSummarizer = summarizer is null ? null : new ModelReaderPlugin(summarizer, new ModelReaderPluginOptions(), loggerFactory);
        _loggerFactory = loggerFactory;
        _timeProvider = timeProvider;
        var access = new WebAccessOptions { AllowLoopback = options.AllowLoopback, AllowPrivateNetworks = options.AllowPrivateNetworks };
        var browserOptions = new PlaywrightBrowserOptions { ExecutablePath = options.ChromiumPath ?? PlaywrightBrowserOptions.DebianChromiumPath };
        var browser = options.Browser.Trim().ToLowerInvariant();
        _fetcher = browser == "chromium" || (browser == "auto" && PlaywrightBrowser.IsConfigured(browserOptions))
            ? new LazyChromiumFetcher(new PlaywrightBrowser(browserOptions, timeProvider, loggerFactory), access)
            : new HttpPageFetcher(new HttpPageFetcherOptions(), access, timeProvider, loggerFactory);
        SearchEngine = links is null ? engine : engine.WithLocalDocuments(links);
        Fetcher = links is null ? _fetcher : _fetcher.WithLocalDocuments(links);
        WebPlugin = CreateWebPlugin();
    }

    /// <summary>Gets the options the toolset was built from.</summary>
    public ResearchToolsOptions Options { get; }

    /// <summary>Gets the search engine (local index hits carry browsable addresses).</summary>
    public ISearchEngine SearchEngine { get; }

    /// <summary>Gets the page fetcher behind <c>browse</c> (it serves local document addresses from the folder).</summary>
    public IPageFetcher Fetcher { get; }

    /// <summary>
    /// Gets the reading model that condenses each page <c>browse</c> shows towards the agent's goal: over
    /// <see cref="ResearchToolsOptions.SummarizerModel"/>, else the research model; <see langword="null"/> (raw pages) when
    /// there is no model or <see cref="ResearchToolsOptions.SummarizePages"/> is off.
    /// </summary>
    public ModelReaderPlugin? PageSummarizer { get; }

    /// <summary>Gets a shared <c>web</c> plugin (<c>search</c>).</summary>
    public KernelPlugin WebPlugin { get; }

    /// <summary>Builds the toolset; nothing is started until a tool is used.</summary>
    /// <param name="options">The options.</param>
    /// <param name="section">Their configuration path, for messages (for example <c>ChatApp:Research</c>).</param>
    /// <param name="loggerFactory">The logger factory.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="model">
    /// The research model, which summarises the pages <c>browse</c> shows when <see cref="ResearchToolsOptions.SummarizePages"/>
    /// is on and no <see cref="ResearchToolsOptions.SummarizerModel"/> is set; none when null (raw pages unless a summariser model is set).
    /// </param>
    /// <returns>The toolset; dispose it when done.</returns>
    /// <exception cref="OptionsValidationException">An option is wrong; the message names it.</exception>
    public static ResearchToolset Create(ResearchToolsOptions options, string section, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null, ResearchModel? model = null)
    {
        Validate(options, section);
        loggerFactory ??= NullLoggerFactory.Instance;
        timeProvider ??= TimeProvider.System;
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        ResearchModel? ownedSummarizer = null;
        try
        {
            IChatClient? summarizer = null;
            if (options.SummarizePages)
            {
                ownedSummarizer = options.SummarizerModel is { NormalizedProvider: not null } summarizerOptions
                    ? ResearchModelFactory.Create(summarizerOptions, section + ":SummarizerModel", null, loggerFactory, timeProvider)
                    : null;
                summarizer = ownedSummarizer?.Client ?? model?.Client;
            }

            var engineOptions = new SearchEngineOptions();
            LocalDocumentLinks? links = null;
            switch (options.SearchProvider.Trim().ToLowerInvariant())
            {
                case "searxng":
                    engineOptions.Searxng = new SearxngSearchOptions { BaseAddress = new Uri(options.SearxngUrl!) };
                    break;
                case "brave":
                    engineOptions.Brave = new BraveSearchOptions { ApiKey = options.BraveApiKey! };
                    break;
                case "tavily":
                    engineOptions.Tavily = new TavilySearchOptions { ApiKey = options.TavilyApiKey! };
                    break;
                default:
                    links = new LocalDocumentLinks(new LocalDocumentsOptions { RootDirectory = options.DocumentsFolder, UseCanonicalLinks = options.UseCanonicalLinks });
                    engineOptions.LocalIndex = new LocalIndexOptions
                    {
                        DocumentsDirectory = options.DocumentsFolder,
                        IndexDirectory = string.IsNullOrWhiteSpace(options.IndexFolder) ? null : options.IndexFolder,
                        DocumentsHostName = links.HostName,
                    };
                    break;
            }

            var engine = SearchEngineFactory.Create(engineOptions, http, timeProvider, loggerFactory);
            return new ResearchToolset(options, engine, links, http, loggerFactory, timeProvider, summarizer, ownedSummarizer);
        }
        catch
        {
            http.Dispose();
            ownedSummarizer?.Client.Dispose();
            throw;
        }
    }

    /// <summary>Checks the options without opening anything.</summary>
    /// <param name="options">The options.</param>
    /// <param name="section">Their configuration path, for messages.</param>
    /// <exception cref="OptionsValidationException">An option is wrong; every message names it.</exception>
    public static void Validate(ResearchToolsOptions options, string section)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        switch (options.SearchProvider?.Trim().ToLowerInvariant())
        {
            case "local" or "" or null:
                if (string.IsNullOrWhiteSpace(options.DocumentsFolder) || !Directory.Exists(options.DocumentsFolder))
                {
                    failures.Add($"{section}:DocumentsFolder '{options.DocumentsFolder}' is not a folder; the local search engine indexes the documents in it (or set {section}:SearchProvider to 'searxng', 'brave' or 'tavily').");
                }

                break;
            case "searxng":
                if (!Uri.TryCreate(options.SearxngUrl, UriKind.Absolute, out var searxng) || (searxng.Scheme != Uri.UriSchemeHttp && searxng.Scheme != Uri.UriSchemeHttps))
                {
                    failures.Add($"{section}:SearxngUrl '{options.SearxngUrl}' is not an http(s) address of a SearXNG instance.");
                }

                break;
            case "brave":
                if (string.IsNullOrWhiteSpace(options.BraveApiKey))
                {
                    failures.Add($"{section}:BraveApiKey is required with search provider 'brave'.");
                }

                break;
            case "tavily":
                if (string.IsNullOrWhiteSpace(options.TavilyApiKey))
                {
                    failures.Add($"{section}:TavilyApiKey is required with search provider 'tavily'.");
                }

                break;
            default:
                failures.Add($"{section}:SearchProvider '{options.SearchProvider}' is unknown; use 'local', 'searxng', 'brave' or 'tavily'.");
                break;
        }

        var browser = options.Browser?.Trim().ToLowerInvariant();
        if (browser is not ("http" or "chromium" or "auto"))
        {
            failures.Add($"{section}:Browser '{options.Browser}' is unknown; use 'http', 'chromium' or 'auto'.");
        }
        else if (browser == "chromium" && !File.Exists(options.ChromiumPath ?? PlaywrightBrowserOptions.DebianChromiumPath))
        {
            failures.Add($"{section}:ChromiumPath '{options.ChromiumPath ?? PlaywrightBrowserOptions.DebianChromiumPath}' does not exist; install chromium or use {section}:Browser=http.");
        }

        if (string.IsNullOrWhiteSpace(options.WorkspaceRoot))
        {
            failures.Add($"{section}:WorkspaceRoot is empty; give the folder the memory tools work in.");
        }

        if (options.SummarizerModel is { } summarizerModel)
        {
            try
            {
                ResearchModelFactory.Validate(summarizerModel, section + ":SummarizerModel");
            }
            catch (OptionsValidationException ex)
            {
                failures.AddRange(ex.Failures);
            }
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(section, typeof(ResearchToolsOptions), failures);
        }
    }

    /// <summary>Creates a <c>web</c> plugin (<c>search</c>).</summary>
    /// <returns>The plugin.</returns>
    public KernelPlugin CreateWebPlugin() =>
        KernelPluginFactory.CreateFromObject(
            new WebSearchPlugin(SearchEngine, new WebSearchPluginOptions(), _timeProvider, _loggerFactory),
            WebPluginName);

    /// <summary>Creates a <c>browser</c> plugin (<c>browse</c>, <c>find_in_page</c>), archiving every page read into <paramref name="archive"/> when given.</summary>
    /// <param name="archive">Where pages read are archived, or null.</param>
    /// <returns>The plugin; it remembers the pages one agent has read, so create one per run. With a <see cref="PageSummarizer"/>,
    /// <c>browse</c> with a goal shows each page condensed towards it, charged to the tracker of the run that calls it.</returns>
    public KernelPlugin CreateBrowserPlugin(IPageArchiveSink? archive = null) =>
        KernelPluginFactory.CreateFromObject(
            new BrowserPlugin(Fetcher, new BrowserPluginOptions { PageSummarizer = PageSummarizer }, archive, _timeProvider, _loggerFactory),
            BrowserPluginName);

    /// <summary>Creates the <c>memory</c> plugin over a workspace.</summary>
    /// <param name="workspace">The workspace.</param>
    /// <returns>The plugin.</returns>
    public KernelPlugin CreateMemoryPlugin(MemoryWorkspace workspace) =>
        KernelPluginFactory.CreateFromObject(new FileSystemMemoryPlugin(workspace, new FileSystemMemoryPluginOptions(), _loggerFactory), MemoryPluginName);

    /// <summary>Fresh <c>web_search</c>, <c>browser_browse</c> and <c>browser_find_in_page</c> tools for one agent.</summary>
    /// <param name="archive">Where pages read are archived, or null.</param>
    /// <returns>The tools.</returns>
    public IReadOnlyList<AIFunction> CreateTools(IPageArchiveSink? archive = null)
    {
        var kernel = new Kernel();
        return [.. CreateWebPlugin().AsAIFunctions(kernel), .. CreateBrowserPlugin(archive).AsAIFunctions(kernel)];
    }

    /// <summary>Opens a memory workspace under <see cref="ResearchToolsOptions.WorkspaceRoot"/>.</summary>
    /// <param name="subfolder">A folder name below the root (for example a conversation id), or null for the root itself.</param>
    /// <returns>The workspace; dispose it when done.</returns>
    public MemoryWorkspace OpenWorkspace(string? subfolder)
    {
        var root = Path.GetFullPath(Options.WorkspaceRoot);
        if (subfolder is not null)
        {
            if (subfolder.Length == 0 || subfolder.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || subfolder is "." or "..")
            {
                throw new ArgumentException($"'{subfolder}' is not a plain folder name.", nameof(subfolder));
            }

            root = Path.Combine(root, subfolder);
        }

        Directory.CreateDirectory(root);
        return new MemoryWorkspace(new MemoryWorkspaceOptions { RootPath = root }, _timeProvider, _loggerFactory);
    }

    /// <summary>
    /// Maps the tools to budget categories: <c>web_search</c> to <c>search</c> (one unit per query),
    /// <c>browser_browse</c> to <c>browse</c> (one per URL), <c>browser_find_in_page</c> to <c>browse_find</c> and
    /// <c>memory_*</c> to <c>memory</c>.
    /// </summary>
    /// <param name="options">The budget options.</param>
    /// <returns>The same options.</returns>
    public static BudgetOptions MapTools(BudgetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options
            .AddToolMapping(SearchToolName, "search", unitsArgument: "queries")
            .AddToolMapping(BrowseToolName, "browse", unitsArgument: "urls")
            .AddToolMapping(FindInPageToolName, "browse_find")
            .AddToolMapping(MemoryPluginName + "_*", "memory");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        (_engine as IDisposable)?.Dispose();
        switch (_fetcher)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }

        _http.Dispose();
        _ownedSummarizerModel?.Client.Dispose();
    }
}
