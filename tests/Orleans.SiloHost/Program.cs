using System.Globalization;
using Agents.Cluster;
using Agents.Budget.Orleans.SiloHost;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

// Usage: Agents.Budget.Orleans.SiloHost <redis host:port> <cluster id> <silo port> <gateway port>
//    or: Agents.Budget.Orleans.SiloHost worker <redis host:port> <cluster id> <budget id> <units> <lease seconds>
//        (a client that reserves units, says so, and hangs until killed: a worker that dies holding a lease)
//    or: Agents.Budget.Orleans.SiloHost pool-worker <redis host:port> <cluster id> <pool id> <work milliseconds>
if (args.Length == 5 && args[0] == "pool-worker")
{
    return await PoolWorker.RunAsync(args[1], args[2], args[3], int.Parse(args[4], CultureInfo.InvariantCulture));
}

if (args.Length == 6 && args[0] == "worker")
{
    return await Worker.RunAsync(args[1], args[2], args[3], int.Parse(args[4], CultureInfo.InvariantCulture), TimeSpan.FromSeconds(int.Parse(args[5], CultureInfo.InvariantCulture)));
}

if (args.Length != 4)
{
    Console.Error.WriteLine("usage: <redis host:port> <cluster id> <silo port> <gateway port> | worker <redis> <cluster id> <budget id> <units> <lease seconds>");
    return 2;
}

string redis = args[0];
string clusterId = args[1];
int siloPort = int.Parse(args[2], CultureInfo.InvariantCulture);
int gatewayPort = int.Parse(args[3], CultureInfo.InvariantCulture);

HostApplicationBuilder builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
builder.UseOrleans(silo =>
{
    silo.AddAgentsCluster(redis, new AgentsClusterMember
        {
            ClusterId = clusterId,
            ServiceId = SiloDefaults.ServiceId,
            SiloPort = siloPort,
            GatewayPort = gatewayPort,
            AdvertisedAddress = System.Net.IPAddress.Loopback,
        })
        .Configure<ClusterMembershipOptions>(SiloDefaults.FastFailureDetection);
});

using IHost host = builder.Build();
await host.StartAsync();
Console.WriteLine("silo ready");
await host.WaitForShutdownAsync();
return 0;
