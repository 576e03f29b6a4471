using Agents.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Agents.Samples.Eval.App;

/// <summary>Cluster mode: this process joins the Orleans cluster over Redis as a silo and works the grid's pool with the others.</summary>
internal static class EvalCluster
{
    public static async Task RunAsync(
        EvalClusterSettings settings,
        string poolId,
        GridRunner runner,
        ResultsJournal journal,
        IReadOnlyList<EvalItem> items,
        IReadOnlyList<IEvalStrategy> strategies,
        IReadOnlyList<int> budgets,
        int parallel,
        EventHandler<EvalResult> onRow,
        ILoggerFactory loggerFactory,
        TextWriter output,
        CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(loggerFactory);
        builder.UseOrleans(silo => silo.AddAgentsCluster(settings.Redis, new AgentsClusterMember
        {
            ClusterId = settings.ClusterId,
            ServiceId = "agents-eval",
            SiloPort = settings.SiloPort,
            GatewayPort = settings.GatewayPort,
            AdvertisedAddress = settings.AdvertisedAddress,
        }));

        using IHost host = builder.Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pool = new OrleansWorkPool(host.Services.GetRequiredService<IGrainFactory>(), poolId);
            string worker = string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}/{Environment.ProcessId}");
            output.WriteLine($"Cluster: worker {worker} joined {settings.ClusterId} on {settings.Redis}; work pool '{poolId}', cell lease {settings.CellLease.TotalSeconds:0} s.");
            var cluster = new ClusterGridRunner(runner, pool, journal, worker, settings.CellLease, parallel, loggerFactory: loggerFactory);
            cluster.ResultRecorded += onRow;
            ClusterGridSummary summary = await cluster.RunAsync(items, strategies, budgets, cancellationToken).ConfigureAwait(false);
            output.WriteLine($"Done: the grid's {summary.Cells} cells are finished; {summary.RanHere} run by this worker, {summary.FromOthers} taken from the cluster into {journal.Path}.");
        }
        finally
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.StopAsync(stopping.Token).ConfigureAwait(false);
        }
    }
}
