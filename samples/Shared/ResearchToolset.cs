using Agents.Budget;
using Agents.Plugins.Archiving;
using Agents.Plugins.Browsing;
using Agents.Plugins.LocalDocuments;
using Agents.Plugins.Memory;
using Agents.Plugins.Security;
using Agents.Plugins.Search;
using Agents.Plugins.Search.Local;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace Agents.Samples.Shared;

/// <summary>
/// The research tools a sample offers: <c>web</c> (search), <c>browser</c> (browse) and <c>memory</c> (file-system notes) Semantic Kernel
/// plugins built from <see cref="ResearchSettings"/>, plus the budget mapping of their functions. With the local search
/// engine, hits carry addresses of the read-only local documents virtual host (<see cref="LocalDocumentLinks"/>), which
/// <c>browse</c> reads from the documents folder.
/// </summary>
internal sealed class ResearchToolset : IAsyncDisposable
{
    public const string WebPluginName = "web";
    public const string MemoryPluginName = "memory";
    public const string BrowserPluginName = "browser";

    private readonly ISearchEngine _engine;
    private readonly IPageFetcher _fetcher;
    private readonly IPageFetcher _browserFetcher;
    private readonly HttpClient? _http;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _timeProvider;

    private ResearchToolset(ISearchEngine engine, LocalDocumentLinks? links, HttpClient? http, ResearchSettings settings, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        _engine = engine;
        var access = new WebAccessOptions { AllowLoopback = settings.AllowLoopback, AllowPrivateNetworks = settings.AllowPrivateNetworks };
        _fetcher = settings.Browser.Trim().Equals("chromium", StringComparison.OrdinalIgnoreCase)
            ? new LazyChromiumFetcher(
                new PlaywrightBrowser(new PlaywrightBrowserOptions { ExecutablePath = settings.ChromiumPath ?? PlaywrightBrowserOptions.DebianChromiumPath }, timeProvider, loggerFactory),
                access)
            : new HttpPageFetcher(new HttpPageFetcherOptions(), access, timeProvider, loggerFactory.CreateLogger<HttpPageFetcher>());
        _browserFetcher = links is null ? _fetcher : _fetcher.WithLocalDocuments(links);
        _http = http;
        _loggerFactory = loggerFactory;
        _timeProvider = timeProvider;
        Settings = settings;
        WebPlugin = KernelPluginFactory.CreateFromObject(
            new WebSearchPlugin(links is null ? engine : engine.WithLocalDocuments(links), new WebSearchPluginOptions(), timeProvider, loggerFactory.CreateLogger<WebSearchPlugin>()),
            WebPluginName);
    }

    public ResearchSettings Settings { get; }

    /// <summary>Gets the <c>web</c> plugin (<c>search</c>).</summary>
    public KernelPlugin WebPlugin { get; }

    /// <summary>Creates the <c>browser</c> plugin (<c>browse</c>, <c>find_in_page</c>), archiving every page read into <paramref name="archive"/> when given.</summary>
    public KernelPlugin CreateBrowserPlugin(IPageArchiveSink? archive) =>
        KernelPluginFactory.CreateFromObject(
            new BrowserPlugin(_browserFetcher, new BrowserPluginOptions(), archive, _timeProvider, _loggerFactory.CreateLogger<BrowserPlugin>()),
            BrowserPluginName);

    /// <summary>Builds the toolset; throws naming the option when the settings are wrong.</summary>
    /// <param name="settings">The settings.</param>
    /// <param name="section">Their configuration path, for error messages.</param>
    /// <param name="loggerFactory">The logger factory.</param>
    /// <param name="timeProvider">The clock.</param>
    public static ResearchToolset Create(ResearchSettings settings, string section, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        Validate(settings, section);
        if (settings.SearchProvider?.Trim().Equals("searxng", StringComparison.OrdinalIgnoreCase) == true)
        {
            var http = new HttpClient();
            var engine = new SearxngSearchEngine(http, new SearxngSearchOptions { BaseAddress = new Uri(settings.SearxngUrl!) }, timeProvider, loggerFactory.CreateLogger<SearxngSearchEngine>());
            return new ResearchToolset(engine, null, http, settings, loggerFactory, timeProvider);
        }

        var links = new LocalDocumentLinks(new LocalDocumentsOptions { RootDirectory = settings.DocumentsFolder });
        var local = new LocalIndexSearchEngine(
            new LocalIndexOptions { DocumentsDirectory = settings.DocumentsFolder, DocumentsHostName = links.HostName },
            timeProvider,
            loggerFactory.CreateLogger<LocalIndexSearchEngine>());
        return new ResearchToolset(local, links, null, settings, loggerFactory, timeProvider);
    }

    /// <summary>Checks the settings without opening anything.</summary>
    /// <exception cref="InvalidOperationException">A setting is wrong; the message names it.</exception>
    public static void Validate(ResearchSettings settings, string section)
    {
        switch (settings.SearchProvider?.Trim().ToLowerInvariant())
        {
            case "local" or "" or null:
                if (string.IsNullOrWhiteSpace(settings.DocumentsFolder) || !Directory.Exists(settings.DocumentsFolder))
                {
                    throw new InvalidOperationException($"{section}:DocumentsFolder '{settings.DocumentsFolder}' is not a folder; the local search engine indexes the documents in it (or set {section}:SearchProvider to 'searxng').");
                }

                break;
            case "searxng":
                if (!Uri.TryCreate(settings.SearxngUrl, UriKind.Absolute, out var searxng) || (searxng.Scheme != Uri.UriSchemeHttp && searxng.Scheme != Uri.UriSchemeHttps))
                {
                    throw new InvalidOperationException($"{section}:SearxngUrl '{settings.SearxngUrl}' is not an http(s) address of a SearXNG instance.");
                }

                break;
            default:
                throw new InvalidOperationException($"{section}:SearchProvider '{settings.SearchProvider}' is unknown; use 'local' or 'searxng'.");
        }

        if (settings.Browser?.Trim().ToLowerInvariant() is not ("http" or "chromium"))
        {
            throw new InvalidOperationException($"{section}:Browser '{settings.Browser}' is unknown; use 'http' or 'chromium'.");
        }

        if (settings.Browser.Trim().Equals("chromium", StringComparison.OrdinalIgnoreCase)
            && !File.Exists(settings.ChromiumPath ?? PlaywrightBrowserOptions.DebianChromiumPath))
        {
            throw new InvalidOperationException($"{section}:ChromiumPath '{settings.ChromiumPath ?? PlaywrightBrowserOptions.DebianChromiumPath}' does not exist; install chromium or use {section}:Browser=http.");
        }

        if (string.IsNullOrWhiteSpace(settings.WorkspaceRoot))
        {
            throw new InvalidOperationException($"{section}:WorkspaceRoot is empty; give the folder the memory tools work in.");
        }
    }

    /// <summary>Opens a memory workspace under <see cref="ResearchSettings.WorkspaceRoot"/>.</summary>
    /// <param name="subfolder">A folder name below the root (for example a conversation id), or null for the root itself.</param>
    public MemoryWorkspace OpenWorkspace(string? subfolder)
    {
        var root = Path.GetFullPath(Settings.WorkspaceRoot);
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

    /// <summary>Creates the <c>memory</c> plugin over a workspace.</summary>
    public KernelPlugin CreateMemoryPlugin(MemoryWorkspace workspace) =>
        KernelPluginFactory.CreateFromObject(new FileSystemMemoryPlugin(workspace, new FileSystemMemoryPluginOptions(), _loggerFactory), MemoryPluginName);

    /// <summary>Adds the mapping of this toolset's functions to budget categories.</summary>
    public static BudgetOptions MapTools(BudgetOptions options) =>
        options
            .AddToolMapping(WebPluginName + "_search", "search", unitsArgument: "queries")
            .AddToolMapping(BrowserPluginName + "_browse", "browse", unitsArgument: "urls")
            .AddToolMapping(BrowserPluginName + "_find_in_page", "browse_find")
            .AddToolMapping(MemoryPluginName + "_*", "memory");

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

        _http?.Dispose();
    }
}
