namespace Agents.Samples.McpServer.Hosting;

/// <summary>
/// Cluster mode (<c>--cluster redis://host:port</c>): every replica joins one Orleans cluster over Redis, and the tools of
/// all replicas spend one shared budget (a budget grain) as well as their own. The cluster id defaults to <c>agents-mcp</c>.
/// </summary>
internal sealed class McpClusterSettings() : ReplicaClusterSettings("agents-mcp")
{
    /// <summary>Gets or sets the id of the budget the replicas share. Default <c>mcp</c>.</summary>
    public string BudgetId { get; set; } = "mcp";
}
