using Agents.Plugins.Memory;
using Microsoft.SemanticKernel;
using ModelContextProtocol.Server;

namespace Agents.Samples.McpServer.Tools;

/// <summary>
/// Builds the server's tools: web_search, browser_browse, browser_find_in_page, the memory_* tools, research (with a model)
/// and budget_status. The plugin tools keep the names Semantic Kernel gives them (<c>plugin_function</c>), as everywhere else.
/// </summary>
internal sealed class McpToolCatalog : IDisposable
{
    private readonly MemoryWorkspace _workspace;

    public McpToolCatalog(ResearchToolset toolset, BudgetTracker tracker, ResearchModel? model, TimeProvider timeProvider, ILoggerFactory loggerFactory, IBudgetLedger? sharedBudget = null)
    {
        _workspace = toolset.OpenWorkspace(null);
        var logger = loggerFactory.CreateLogger<McpToolCatalog>();
        var kernel = new Kernel();
        kernel.Plugins.Add(toolset.WebPlugin);
        var browser = toolset.CreateBrowserPlugin(new SourceArchive(_workspace, loggerFactory));
        kernel.Plugins.Add(browser);
        kernel.Plugins.Add(toolset.CreateMemoryPlugin(_workspace));
        var limits = tracker.GetSnapshot().Categories.ToDictionary(c => c.Name, c => c.Limit, StringComparer.OrdinalIgnoreCase);

        // What each tool is charged; the categories are those of ResearchToolset.MapTools and McpServerHost.CreateBudget.
        string Charge(string what, string category) =>
            $"Charged: {what} of the server's '{category}' budget ({(limits.TryGetValue(category, out var limit) && limit is { } l ? $"{l} in all" : "no limit")}, shared by every client).";

        var tools = new List<McpServerTool>();
        foreach (var function in toolset.WebPlugin.AsAIFunctions(kernel))
        {
            tools.Add(new BudgetedMcpTool(function.Name, function, tracker, Charge("one unit per element of 'queries'", "search"), readOnly: true, openWorld: true, logger));
        }

        foreach (var function in browser.AsAIFunctions(kernel))
        {
            var charge = function.Name == ResearchToolset.FindInPageToolName
                ? Charge("one unit per call", "browse_find") + " It spends no 'browse' unit: it does not read the page again."
                : Charge("one unit per element of 'urls'", "browse") + " A URL refused before anything is fetched, a repeated URL and a page already read are given back.";
            tools.Add(new BudgetedMcpTool(function.Name, function, tracker, charge, readOnly: true, openWorld: true, logger));
        }

        foreach (var function in kernel.Plugins[ResearchToolset.MemoryPluginName].AsAIFunctions(kernel))
        {
            var readOnly = function.Name.Contains("list", StringComparison.Ordinal) || function.Name.Contains("read", StringComparison.Ordinal)
                || function.Name.Contains("grep", StringComparison.Ordinal) || function.Name.Contains("search", StringComparison.Ordinal)
                || function.Name.Contains("check", StringComparison.Ordinal);
            tools.Add(new BudgetedMcpTool(function.Name, function, tracker, Charge("one unit per call", "memory"), readOnly, openWorld: false, logger));
        }

        if (model is not null)
        {
            // The research agent sees upstream failures only as an error id; the raw error is logged.
            var safeModel = model with { Client = new UpstreamErrorChatClient(model.Client, loggerFactory) };
            var progress = new ToolProgress();
            var research = new ResearchFunction(safeModel, kernel, tracker, progress, timeProvider, loggerFactory);
            var charge = Charge("one unit per run", "research")
                + " The agent's own searches, reads and memory calls, its model tokens and their cost are charged to the same budget."
                + " Each step of the run is sent as a progress notification when the call asks for progress.";
            tools.Add(progress.Wrap(new BudgetedMcpTool("research", research.AsAIFunction(), tracker, charge, readOnly: false, openWorld: true, logger)));
        }

        tools.Add(new BudgetStatusTool(tracker, sharedBudget));
        Tools = tools;
    }

    public IReadOnlyList<McpServerTool> Tools { get; }

    public void Dispose() => _workspace.Dispose();
}
