namespace Agents.Samples.McpServer.Hosting;

/// <summary>
/// Cluster mode (<c>--cluster redis://host:port</c>): every replica joins one Orleans cluster over Redis, and the tools of
/// all replicas spend one shared budget (a budget grain) as well as their own.
/// </summary>
internal sealed class McpClusterSettings
{
    /// <summary>
    /// Gets or sets the Redis that holds the cluster's membership and the shared budget (<c>redis://host:port</c>, or
    /// <c>host:port</c>). Default <see langword="null"/>: one process, its own budget.
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>Gets or sets the cluster id; replicas with the same id (and Redis) form one cluster. Default <c>agents-mcp</c>.</summary>
    public string ClusterId { get; set; } = "agents-mcp";

    /// <summary>Gets or sets the id of the budget the replicas share. Default <c>mcp</c>.</summary>
    public string BudgetId { get; set; } = "mcp";

    /// <summary>Gets or sets the port silos talk to each other on. Default 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Gets or sets the port clients of the cluster connect to. Default 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Gets or sets the address other replicas reach this one at. Default <see langword="null"/>: this machine's address.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>Gets the Redis configuration string (<c>host:port</c>), without a <c>redis://</c> prefix; <see langword="null"/> without cluster mode.</summary>
    public string? RedisConfiguration =>
        Redis is null ? null
        : Redis.Trim().StartsWith("redis://", StringComparison.OrdinalIgnoreCase) ? Redis.Trim()["redis://".Length..].TrimEnd('/')
        : Redis.Trim();
}
