using System.Net;

namespace Agents.Samples.Eval.App;

/// <summary>Cluster mode's command line (<c>--cluster redis://host:port</c> and its companions).</summary>
/// <param name="Redis">The StackExchange.Redis configuration string (without <c>redis://</c>).</param>
/// <param name="ClusterId">Workers with the same id form one cluster.</param>
/// <param name="SiloPort">The port silos talk to each other on.</param>
/// <param name="GatewayPort">The port cluster clients connect to.</param>
/// <param name="AdvertisedAddress">The address other workers reach this one at; <see langword="null"/> for this machine's.</param>
/// <param name="CellLease">How long a worker holds a cell unless it renews the claim.</param>
internal sealed record EvalClusterSettings(string Redis, string ClusterId, int SiloPort, int GatewayPort, IPAddress? AdvertisedAddress, TimeSpan CellLease)
{
    /// <summary>The settings, or <see langword="null"/> without <c>--cluster</c>.</summary>
    /// <exception cref="CommandLineException">A cluster option is invalid, or given without <c>--cluster</c>.</exception>
    public static EvalClusterSettings? From(System.CommandLine.ParseResult parsed)
    {
        string? cluster = parsed.Get("--cluster");
        if (cluster is null)
        {
            foreach (string name in new[] { "--cluster-id", "--silo-port", "--gateway-port", "--advertise", "--cell-lease" })
            {
                if (parsed.Get(name) is not null)
                {
                    throw new CommandLineException($"{name} only applies with --cluster redis://host:port.");
                }
            }

            return null;
        }

        if (parsed.Has("--report-only"))
        {
            throw new CommandLineException("--report-only reads this worker's results; leave out --cluster.");
        }

        string redis = cluster.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) ? cluster["redis://".Length..].TrimEnd('/') : cluster;
        if (redis.Length == 0 || redis.Any(char.IsWhiteSpace))
        {
            throw new CommandLineException($"--cluster '{cluster}' is not a Redis address; use redis://host:port.");
        }

        string clusterId = parsed.Get("--cluster-id") ?? "agents-eval";
        if (string.IsNullOrWhiteSpace(clusterId))
        {
            throw new CommandLineException("--cluster-id must not be empty.");
        }

        int siloPort = Port(parsed, "--silo-port", 11111);
        int gatewayPort = Port(parsed, "--gateway-port", 30000);
        if (siloPort == gatewayPort)
        {
            throw new CommandLineException($"--silo-port and --gateway-port must differ (both are {siloPort}).");
        }

        IPAddress? address = null;
        if (parsed.Get("--advertise") is { } text && !IPAddress.TryParse(text, out address))
        {
            throw new CommandLineException($"--advertise expects an IP address, not '{text}'.");
        }

        int lease = parsed.GetPositiveInt("--cell-lease", 120);
        return new EvalClusterSettings(redis, clusterId, siloPort, gatewayPort, address, TimeSpan.FromSeconds(lease));
    }

    private static int Port(System.CommandLine.ParseResult parsed, string name, int fallback)
    {
        int port = parsed.GetPositiveInt(name, fallback);
        return port <= IPEndPoint.MaxPort ? port : throw new CommandLineException(string.Create(CultureInfo.InvariantCulture, $"{name} must be at most {IPEndPoint.MaxPort}, not {port}."));
    }
}
