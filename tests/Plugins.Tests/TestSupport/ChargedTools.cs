namespace Agents.Plugins.Tests.TestSupport;

/// <summary>Calls a plugin's tool through <c>BudgetTracker.InvokeToolAsync</c>, the way the planners do.</summary>
internal static class ChargedTools
{
    /// <summary><c>browse</c> on <paramref name="browser"/> with the given goal and urls.</summary>
    public static Task<BudgetedToolResult> BrowseAsync(BudgetTracker tracker, BrowserPlugin browser, string goal, params string[] urls) =>
        InvokeAsync(tracker, browser, nameof(BrowserPlugin.BrowseAsync), "browse", new AIFunctionArguments { ["urls"] = urls, ["goal"] = goal });

    /// <summary><c>search</c> on <paramref name="plugin"/> with the given queries.</summary>
    public static Task<BudgetedToolResult> SearchAsync(BudgetTracker tracker, WebSearchPlugin plugin, params string[] queries) =>
        InvokeAsync(tracker, plugin, nameof(WebSearchPlugin.SearchAsync), "search", new AIFunctionArguments { ["queries"] = queries });

    private static Task<BudgetedToolResult> InvokeAsync<TPlugin>(BudgetTracker tracker, TPlugin plugin, string method, string name, AIFunctionArguments arguments)
        where TPlugin : class
    {
        AIFunction function = AIFunctionFactory.Create(typeof(TPlugin).GetMethod(method)!, plugin, new AIFunctionFactoryOptions { Name = name });
        return tracker.InvokeToolAsync(function, arguments, CancellationToken.None);
    }
}
