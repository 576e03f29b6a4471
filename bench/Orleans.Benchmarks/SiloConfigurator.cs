using Orleans.Hosting;
using Orleans.TestingHost;

namespace Agents.Budget.Orleans.Benchmarks;

internal sealed class SiloConfigurator : ISiloConfigurator
{
    /// <summary>The TestCluster property that names the Redis to persist in; memory storage when absent.</summary>
    public const string RedisProperty = "BudgetBench:Redis";

    public void Configure(ISiloBuilder siloBuilder)
    {
        if (siloBuilder.Configuration[RedisProperty] is { Length: > 0 } redis)
        {
            siloBuilder.AddBudgetLedger(redis);
        }
        else
        {
            siloBuilder.AddMemoryGrainStorage(OrleansBudgetLedger.StorageName).AddBudgetLedger();
        }
    }
}
