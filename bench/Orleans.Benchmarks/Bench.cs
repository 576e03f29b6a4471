using Orleans.TestingHost;

namespace Agents.Budget.Orleans.Benchmarks;

/// <summary>An in-process TestCluster of N silos and a cluster client over loopback.</summary>
internal sealed class Bench : IAsyncDisposable
{
    private readonly TestCluster _cluster;

    private Bench(TestCluster cluster) => _cluster = cluster;

    public static async Task<Bench> StartAsync(short silos, string? redis)
    {
        var builder = new TestClusterBuilder(silos);
        if (redis is not null)
        {
            builder.Properties[SiloConfigurator.RedisProperty] = redis;
        }

        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        TestCluster cluster = builder.Build();
        await cluster.DeployAsync();
        await cluster.WaitForLivenessToStabilizeAsync();
        return new Bench(cluster);
    }

    public async Task<IBudgetLedger> NewGrainAsync(string id)
    {
        var ledger = new OrleansBudgetLedger(_cluster.Client, id + "-" + Guid.NewGuid().ToString("N"));
        await ledger.SetLimitAsync("search", long.MaxValue / 2, CancellationToken.None);
        return ledger;
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }
}
