using Agents.LocalEngine;
using Agents.Plugins.Archiving;
using Agents.Plugins.Browsing;
using Agents.Plugins.LocalDocuments;
using Agents.Plugins.Search;
using Agents.Plugins.Security;
using Agents.Samples.Common.Models;
using Agents.Samples.Common.Searching;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace Agents.Samples.Common.Composition;

/// <summary>
/// Everything an agent of the samples needs, built once per process from the settings: the model client (local ONNX
/// or OpenAI-compatible), the search engine and the page fetcher. <see cref="CreateWebTools"/> makes fresh
/// <c>search</c>, <c>browse</c> and <c>find_in_page</c> tools for each agent.
/// </summary>
public sealed class ResearchStack : IAsyncDisposable
{
    private readonly List<object> _owned = [];
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _timeProvider;

    private ResearchStack(ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        _loggerFactory = loggerFactory;
        _timeProvider = timeProvider;
    }

    /// <summary>The model.</summary>
    public IChatClient ChatClient { get; private set; } = null!;

    /// <summary>Connection-level failures of the model (unreachable, rejected key).</summary>
    public ModelFailureMonitor Monitor { get; } = new();

    /// <summary>The model settings.</summary>
    public ModelSettings Model { get; private set; } = null!;

    /// <summary>The search engine (local index hits carry browsable addresses).</summary>
    public ISearchEngine SearchEngine { get; private set; } = null!;

    /// <summary>The page fetcher behind <c>browse</c>.</summary>
    public IPageFetcher Fetcher { get; private set; } = null!;

    /// <summary>
    /// Builds the stack for a console sample: a failure is written to <paramref name="error"/> as one "error: ..." line
    /// instead of thrown (bad search or browser settings, for example a browser that cannot start, are reported too);
    /// <c>purpose</c> names what is being set up in that line ("the agent", "the agents").
    /// </summary>
    /// <returns>The stack, or null and whether it was the local model folder that could not be loaded.</returns>
    public static async Task<(ResearchStack? Stack, bool ModelFailed)> TryCreateAsync(
        ModelSettings model,
        SearchSettings search,
        ILoggerFactory loggerFactory,
        TextWriter error,
        string purpose,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            return (await CreateAsync(model, search, loggerFactory, TimeProvider.System, cancellationToken).ConfigureAwait(false), false);
        }
        catch (LocalModelLoadException ex)
        {
            await error.WriteLineAsync($"error: the local model in '{model.ModelDirectory}' cannot be loaded: {ex.Message}").ConfigureAwait(false);
            return (null, true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await error.WriteLineAsync($"error: could not set up {purpose}: {ex.Message}").ConfigureAwait(false);
            return (null, false);
        }
    }

    /// <summary>Builds the stack.</summary>
    /// <exception cref="LocalModelLoadException">The local model folder cannot be loaded (the message names the file).</exception>
    public static async Task<ResearchStack> CreateAsync(
        ModelSettings model,
        SearchSettings search,
        ILoggerFactory loggerFactory,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var stack = new ResearchStack(loggerFactory, timeProvider ?? TimeProvider.System) { Model = model };
        try
        {
            await stack.BuildAsync(model, search, cancellationToken).ConfigureAwait(false);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Fresh web tools for one agent; pages read by <c>browse</c> go to <paramref name="archive"/> when given.</summary>
    public IReadOnlyList<AIFunction> CreateWebTools(IPageArchiveSink? archive = null)
    {
        var search = new WebSearchPlugin(SearchEngine, null, _timeProvider, _loggerFactory.CreateLogger<WebSearchPlugin>());
        var browser = new BrowserPlugin(Fetcher, null, archive, _timeProvider, _loggerFactory.CreateLogger<BrowserPlugin>());
        return [.. Bare(search, "web"), .. Bare(browser, "browser")];
    }

    // The tools keep their own names (search, browse, find_in_page) as in the BATS paper, without a plugin prefix.
    private static IEnumerable<AIFunction> Bare(object target, string pluginName) =>
        KernelPluginFactory.CreateFromObject(target, pluginName)
            .Select(f => KernelFunctionFactory.CreateFromMethod(f.UnderlyingMethod!, target, f.Name, f.Description));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            switch (_owned[i])
            {
                case IAsyncDisposable a:
                    await a.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable d:
                    d.Dispose();
                    break;
            }
        }

        _owned.Clear();
    }

    private async Task BuildAsync(ModelSettings model, SearchSettings search, CancellationToken cancellationToken)
    {
        if (model.IsLocal)
        {
            var engine = new LocalOnnxEngine(model.ModelDirectory!, new LocalOnnxEngineOptions(), _loggerFactory);
            var local = new LocalOnnxChatClient(engine, _timeProvider, ownsEngine: true);
            _owned.Add(local);
            ChatClient = local;
        }
        else
        {
            ChatClient = ChatClientFactory.CreateRemote(model, Monitor);
            _owned.Add(ChatClient);
        }

        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        _owned.Add(http);
        var engineInstance = SearchEngineFactory.Create(search.Engine, http, _timeProvider, _loggerFactory);
        _owned.Add(engineInstance);
        // Saved or generated web pages with a canonical link are browsed at that address (through the web fetcher's rules).
        LocalDocumentLinks? links = search.IndexFolder is null
            ? null
            : new LocalDocumentLinks(new LocalDocumentsOptions { RootDirectory = search.IndexFolder, UseCanonicalLinks = true });
        SearchEngine = links is null ? engineInstance : engineInstance.WithLocalDocuments(links);

        var access = new WebAccessOptions { AllowLoopback = search.AllowLoopback, AllowPrivateNetworks = search.AllowPrivate };
        IPageFetcher fetcher;
        bool chromium = search.Browser == "chromium" || (search.Browser == "auto" && PlaywrightBrowser.IsConfigured());
        if (chromium)
        {
            var browser = new PlaywrightBrowser(new PlaywrightBrowserOptions(), _timeProvider, _loggerFactory);
            _owned.Add(browser);
            var page = await browser.CreateFetcherAsync(access, cancellationToken).ConfigureAwait(false);
            _owned.Add(page);
            fetcher = page;
        }
        else
        {
            var plain = new HttpPageFetcher(new HttpPageFetcherOptions(), access, _timeProvider, _loggerFactory.CreateLogger<HttpPageFetcher>());
            _owned.Add(plain);
            fetcher = plain;
        }

        Fetcher = links is null ? fetcher : fetcher.WithLocalDocuments(links);
    }
}
