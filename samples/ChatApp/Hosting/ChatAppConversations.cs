using Agents.Cluster;
using Agents.Conversations;

namespace Agents.Samples.ChatApp.Hosting;

/// <summary>Where conversations live: an SQLite file for one process, or the Orleans cluster over Redis (<c>--cluster</c>).</summary>
internal static class ChatAppConversations
{
    public static void Add(WebApplicationBuilder builder, ChatAppOptions options)
    {
        var limits = new ConversationStoreOptions
        {
            DatabasePath = Path.GetFullPath(options.ConversationsPath),
            MaxConversations = options.Limits.MaxConversations,
            MaxTurnsPerConversation = options.Limits.MaxMessagesPerConversation,
            MaxTitleLength = 60,
            MaxPayloadLength = 8_000_000,
        };

        if (options.Cluster.RedisConfiguration is { } redis)
        {
            // This replica is a silo of the cluster: conversations are grains, persisted in Redis, served by any replica.
            builder.UseOrleans(silo => silo.AddAgentsCluster(redis, options.Cluster.Member("agents-chat")));
            builder.Services.AddOrleansConversationStore(limits);
            return;
        }

        builder.Services.TryAddSingleton<IConversationStore>(sp => new SqliteConversationStore(limits, sp.GetService<TimeProvider>(), sp.GetService<ILoggerFactory>()));
    }
}
