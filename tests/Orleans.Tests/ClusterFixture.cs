using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Agents.Budget.Orleans.Tests;

/// <summary>An in-process cluster of three silos with memory grain storage, shared by the tests of one collection.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    /// <summary>Gets the grain factories of the cluster client and of every silo: many clients of one budget.</summary>
    public IReadOnlyList<IGrainFactory> Clients { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(3);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();

        // Start once every silo has joined, so that all the clients see the same membership.
        await Cluster.WaitForLivenessToStabilizeAsync();
        var clients = new List<IGrainFactory> { Cluster.Client };
        foreach (SiloHandle silo in Cluster.Silos)
        {
            clients.Add(((InProcessSiloHandle)silo).SiloHost.Services.GetRequiredService<IGrainFactory>());
        }

        Clients = clients;
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            siloBuilder.AddMemoryGrainStorage(OrleansBudgetLedger.StorageName)
                .AddMemoryGrainStorage(Agents.Cluster.OrleansConversationStore.StorageName)
                .AddMemoryGrainStorage(Agents.Cluster.OrleansWorkPool.StorageName)
                .AddBudgetLedger();
    }
}
