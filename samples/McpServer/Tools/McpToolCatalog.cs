using Agents.Budget;
using Agents.Plugins.Memory;
using Agents.Samples.Shared;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using ModelContextProtocol.Server;

namespace Agents.Samples.McpServer.Tools;

/// <summary>Builds the server's tools: search, browse, find_in_page, the memory tools, research (with a model) and budget_status.</summary>
internal sealed class McpToolCatalog : IDisposable
{
    private readonly MemoryWorkspace _workspace;

    public McpToolCatalog(ResearchToolset toolset, BudgetTracker tracker, ChatModel? model, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        _workspace = toolset.OpenWorkspace(null);
        var kernel = new Kernel();
        kernel.Plugins.Add(toolset.WebPlugin);
        var browser = toolset.CreateBrowserPlugin(new SourceArchive(_workspace, loggerFactory));
        kernel.Plugins.Add(browser);
        kernel.Plugins.Add(toolset.CreateMemoryPlugin(_workspace));

        var tools = new List<McpServerTool>();
        foreach (var function in toolset.WebPlugin.AsAIFunctions(kernel))
        {
            tools.Add(new BudgetedMcpTool(StripPlugin(function.Name, ResearchToolset.WebPluginName), function, tracker, readOnly: true, openWorld: true));
        }

        foreach (var function in browser.AsAIFunctions(kernel))
        {
            tools.Add(new BudgetedMcpTool(StripPlugin(function.Name, ResearchToolset.BrowserPluginName), function, tracker, readOnly: true, openWorld: true));
        }

        foreach (var function in kernel.Plugins[ResearchToolset.MemoryPluginName].AsAIFunctions(kernel))
        {
            var readOnly = function.Name.Contains("list", StringComparison.Ordinal) || function.Name.Contains("read", StringComparison.Ordinal)
                || function.Name.Contains("grep", StringComparison.Ordinal) || function.Name.Contains("search", StringComparison.Ordinal)
                || function.Name.Contains("check", StringComparison.Ordinal);
            tools.Add(new BudgetedMcpTool(function.Name, function, tracker, readOnly, openWorld: false));
        }

        if (model is not null)
        {
            var research = new ResearchFunction(model, kernel, tracker, timeProvider, loggerFactory);
            tools.Add(new BudgetedMcpTool("research", research.AsAIFunction(), tracker, readOnly: false, openWorld: true));
        }

        tools.Add(new BudgetStatusTool(tracker));
        Tools = tools;
    }

    public IReadOnlyList<McpServerTool> Tools { get; }

    public void Dispose() => _workspace.Dispose();

    private static string StripPlugin(string name, string plugin) =>
        name.StartsWith(plugin + "_", StringComparison.Ordinal) ? name[(plugin.Length + 1)..] : name;
}
