using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace Agents.Budget.Orleans.SiloHost;

/// <summary>A worker process that reserves units of a shared budget and then hangs, to be killed holding its lease.</summary>
public static class Worker
{
    /// <summary>Creates a started cluster client of a test cluster over Redis.</summary>
    /// <param name="redis">The Redis configuration string.</param>
    /// <param name="clusterId">The cluster id.</param>
    /// <returns>The started host; its services hold the <see cref="IClusterClient"/>.</returns>
    public static async Task<IHost> StartClientAsync(string redis, string clusterId)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client => client
            .UseRedisClustering(redis)
            .Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = SiloDefaults.ServiceId;
            })
            .Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1)));
        IHost host = builder.Build();
        await host.StartAsync().ConfigureAwait(false);
        return host;
    }

    /// <summary>Reserves, prints the reservation id, and waits to be killed.</summary>
    /// <param name="redis">The Redis configuration string.</param>
    /// <param name="clusterId">The cluster id.</param>
    /// <param name="budgetId">The budget id.</param>
    /// <param name="units">The units to reserve.</param>
    /// <param name="lease">The lease.</param>
    /// <returns>The exit code (never returns normally before it is killed).</returns>
    public static async Task<int> RunAsync(string redis, string clusterId, string budgetId, int units, TimeSpan lease)
    {
        using IHost host = await StartClientAsync(redis, clusterId).ConfigureAwait(false);
        var ledger = new OrleansBudgetLedger(host.Services.GetRequiredService<IClusterClient>(), budgetId);
        BudgetLedgerReservation r = await ledger.ReserveAsync("search", units, lease, CancellationToken.None).ConfigureAwait(false);
        Console.WriteLine(r.Granted ? "reserved " + r.ReservationId : "denied " + r.DeniedReason);
        await Task.Delay(Timeout.InfiniteTimeSpan).ConfigureAwait(false);
        return 0;
    }
}
