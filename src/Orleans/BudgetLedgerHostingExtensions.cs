using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Hosting;

namespace Agents.Budget.Orleans;

/// <summary>Registers the Orleans budget ledger on silos and clients.</summary>
public static class BudgetLedgerHostingExtensions
{
    /// <summary>
    /// Hosts budget grains on this silo. Add a grain storage named <see cref="OrleansBudgetLedger.StorageName"/> too,
    /// for example <c>AddRedisGrainStorage(OrleansBudgetLedger.StorageName, ...)</c>.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <returns>The same builder.</returns>
    public static ISiloBuilder AddBudgetLedger(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>
    /// Registers <see cref="IBudgetLedger"/> as an <see cref="OrleansBudgetLedger"/> of <paramref name="budgetId"/>,
    /// over the <see cref="IGrainFactory"/> of the cluster client or silo in the same container.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="budgetId">The shared budget's id.</param>
    /// <returns>The same services.</returns>
    public static IServiceCollection AddOrleansBudgetLedger(this IServiceCollection services, string budgetId)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(budgetId);
        services.TryAddSingleton<IBudgetLedger>(sp => new OrleansBudgetLedger(sp.GetRequiredService<IGrainFactory>(), budgetId));
        return services;
    }
}
