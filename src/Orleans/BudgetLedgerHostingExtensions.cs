using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Hosting;
using StackExchange.Redis;

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
    /// Hosts budget grains on this silo and persists them in Redis (the default durable store): every reservation,
    /// commit and release is written to Redis before its caller gets the answer, so a silo that dies loses no
    /// committed spend and another silo takes the budget over from there.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="redisConnectionString">A StackExchange.Redis configuration string, for example <c>127.0.0.1:6379</c>.</param>
    /// <returns>The same builder.</returns>
    /// <remarks>For PostgreSQL or another ADO.NET store, call <see cref="AddBudgetLedger(ISiloBuilder)"/> and
    /// <c>AddAdoNetGrainStorage(OrleansBudgetLedger.StorageName, ...)</c> instead (docs/scale-out.md).</remarks>
    public static ISiloBuilder AddBudgetLedger(this ISiloBuilder builder, string redisConnectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(redisConnectionString);
        ConfigurationOptions redis;
        try
        {
            redis = ConfigurationOptions.Parse(redisConnectionString);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"'{redisConnectionString}' is not a Redis configuration string (expected host:port[,option=value...]): {e.Message}", nameof(redisConnectionString), e);
        }

        builder.AddRedisGrainStorage(OrleansBudgetLedger.StorageName, options => options.ConfigurationOptions = redis);
        return builder.AddBudgetLedger();
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
