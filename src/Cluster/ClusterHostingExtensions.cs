using Agents.Budget.Orleans;
using Agents.Conversations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;
using StackExchange.Redis;

namespace Agents.Cluster;

/// <summary>Makes an application a member of an Agents cluster over Redis.</summary>
public static class ClusterHostingExtensions
{
    /// <summary>
    /// Joins this silo to the cluster whose membership is in Redis, and keeps budgets (<see cref="OrleansBudgetLedger"/>)
    /// conversations (<see cref="OrleansConversationStore"/>) and work pools (<see cref="OrleansWorkPool"/>) in that Redis: any replica serves any conversation,
    /// and a replica that dies loses no committed spend and no appended turn.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="redisConnectionString">A StackExchange.Redis configuration string, for example <c>127.0.0.1:6379</c>.</param>
    /// <returns>The same builder.</returns>
    public static ISiloBuilder AddAgentsCluster(this ISiloBuilder builder, string redisConnectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(redisConnectionString);
        ConfigurationOptions redis = ConfigurationOptions.Parse(redisConnectionString);
        builder.UseRedisClustering(options => options.ConfigurationOptions = redis);
        builder.AddRedisGrainStorage(OrleansConversationStore.StorageName, options => options.ConfigurationOptions = redis);
        builder.AddRedisGrainStorage(OrleansWorkPool.StorageName, options => options.ConfigurationOptions = redis);
        return builder.AddBudgetLedger(redisConnectionString);
    }

    /// <summary>
    /// Joins this silo to <paramref name="member"/>'s cluster over Redis (see <see cref="AddAgentsCluster(ISiloBuilder, string)"/>),
    /// with its cluster and service ids and the endpoints the other members reach it at.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="redisConnectionString">A StackExchange.Redis configuration string.</param>
    /// <param name="member">The cluster, service ids and endpoints.</param>
    /// <returns>The same builder.</returns>
    public static ISiloBuilder AddAgentsCluster(this ISiloBuilder builder, string redisConnectionString, AgentsClusterMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        builder.AddAgentsCluster(redisConnectionString).Configure<ClusterOptions>(o =>
        {
            o.ClusterId = member.ClusterId;
            o.ServiceId = member.ServiceId;
        });
        return member.AdvertisedAddress is { } address
            ? builder.ConfigureEndpoints(address, member.SiloPort, member.GatewayPort, listenOnAnyHostAddress: false)
            : builder.ConfigureEndpoints(member.SiloPort, member.GatewayPort);
    }

    /// <summary>Registers <see cref="IConversationStore"/> as an <see cref="OrleansConversationStore"/> over the cluster's <see cref="IGrainFactory"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="options">Limits; <see langword="null"/> for the defaults.</param>
    /// <returns>The same services.</returns>
    public static IServiceCollection AddOrleansConversationStore(this IServiceCollection services, ConversationStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IConversationStore>(sp => new OrleansConversationStore(sp.GetRequiredService<IGrainFactory>(), options, timeProvider: sp.GetService<TimeProvider>()));
        return services;
    }
}
