namespace Agents.Samples.ChatApp.Hosting;

/// <summary>Cluster mode: every replica joins one Orleans cluster over Redis and serves every conversation.</summary>
internal sealed class ChatAppClusterOptions
{
    /// <summary>
    /// Gets or sets the Redis that holds the cluster's membership and conversations (<c>host:port</c>, or
    /// <c>redis://host:port</c>). Default <see langword="null"/>: one process, conversations in <see cref="ChatAppOptions.ConversationsPath"/>.
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>Gets or sets the cluster id; replicas with the same id form one cluster. Default <c>agents-chat</c>.</summary>
    public string ClusterId { get; set; } = "agents-chat";

    /// <summary>Gets or sets the port silos talk to each other on. Default 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Gets or sets the port clients of the cluster connect to. Default 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Gets or sets the address other replicas reach this one at. Default <see langword="null"/>: this machine's address.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>Gets the Redis configuration string, without a <c>redis://</c> prefix.</summary>
    public string? RedisConfiguration =>
        Redis is null ? null
        : Redis.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) ? Redis["redis://".Length..].TrimEnd('/')
        : Redis;
}
