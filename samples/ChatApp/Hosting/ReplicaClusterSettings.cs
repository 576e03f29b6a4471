using System.Net;
using Agents.Cluster;

namespace Agents.Samples.Hosting;

/// <summary>
/// Cluster mode of a sample server (<c>--cluster redis://host:port</c>): every replica joins one Orleans cluster over
/// Redis. What the chat app and the MCP server share (linked into McpServer); each adds what its cluster holds.
/// </summary>
internal abstract class ReplicaClusterSettings
{
    /// <summary>Creates the settings with the cluster id replicas use by default.</summary>
    /// <param name="clusterId">The default cluster id.</param>
    protected ReplicaClusterSettings(string clusterId)
    {
        ClusterId = clusterId;
    }

    /// <summary>
    /// Gets or sets the Redis that holds the cluster's membership and state (<c>redis://host:port</c>, or <c>host:port</c>).
    /// Default <see langword="null"/>: one process.
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>Gets or sets the cluster id; replicas with the same id (and Redis) form one cluster.</summary>
    public string ClusterId { get; set; }

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

    /// <summary>This replica as a member of the cluster.</summary>
    /// <param name="serviceId">The Orleans service id of the sample.</param>
    public AgentsClusterMember Member(string serviceId) => new()
    {
        ClusterId = ClusterId,
        ServiceId = serviceId,
        SiloPort = SiloPort,
        GatewayPort = GatewayPort,
        AdvertisedAddress = AdvertisedAddress is { } address ? IPAddress.Parse(address) : null,
    };

    /// <summary>Returns what is wrong with the ports, the cluster id and the advertised address (the Redis address is the caller's to check).</summary>
    /// <param name="section">The configuration section, such as <c>ChatApp:Cluster</c>.</param>
    public IEnumerable<string> Validate(string section)
    {
        if (SiloPort is < 1 or > 65535) yield return $"{section}:SiloPort must be a port number (1-65535).";
        if (GatewayPort is < 1 or > 65535 || GatewayPort == SiloPort) yield return $"{section}:GatewayPort must be a port number (1-65535) other than SiloPort.";
        if (string.IsNullOrWhiteSpace(ClusterId)) yield return $"{section}:ClusterId must not be empty.";
        if (AdvertisedAddress is { } address && !IPAddress.TryParse(address, out _)) yield return $"{section}:AdvertisedAddress '{address}' is not an IP address.";
    }
}
