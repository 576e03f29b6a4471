using System.Net;

namespace Agents.Cluster;

/// <summary>How one process joins an Agents cluster: which cluster, and where the others reach it.</summary>
public sealed class AgentsClusterMember
{
    /// <summary>Gets or sets the cluster id; processes with the same id (and Redis) form one cluster.</summary>
    public required string ClusterId { get; set; }

    /// <summary>Gets or sets the service id, which names the persisted grain state; keep it stable across deployments.</summary>
    public required string ServiceId { get; set; }

    /// <summary>Gets or sets the port silos talk to each other on. Default 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Gets or sets the port cluster clients connect to. Default 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Gets or sets the address the others reach this process at, listened on alone; <see langword="null"/> (default): this machine's address, listening on all.</summary>
    public IPAddress? AdvertisedAddress { get; set; }
}
