namespace Agents.Samples.McpServer.Hosting;

/// <summary>The server's budget (shared by every client and call until the process restarts).</summary>
internal sealed class McpBudgetSettings
{
    /// <summary>Gets or sets the search units (one per query). Default 100.</summary>
    public int SearchUnits { get; set; } = 100;

    /// <summary>Gets or sets the browse units (one per URL). Default 100.</summary>
    public int BrowseUnits { get; set; } = 100;

    /// <summary>Gets or sets the memory tool calls. Default 1,000.</summary>
    public int MemoryCalls { get; set; } = 1_000;

    /// <summary>Gets or sets the research runs. Default 10.</summary>
    public int ResearchRuns { get; set; } = 10;

    /// <summary>Gets or sets the model tokens of research runs, each of input and output. Default 2,000,000.</summary>
    public long MaxTokens { get; set; } = 2_000_000;

    /// <summary>Gets or sets the money, in US dollars. Default 5.</summary>
    public decimal MaxCostUsd { get; set; } = 5m;
}
