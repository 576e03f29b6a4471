using Agents.Cluster;
using Agents.Conversations;
using Agents.Conversations.Tests;

namespace Agents.Budget.Orleans.Tests.Conversations;

/// <summary>The conversation store contract, through grains on the three-silo test cluster, from different clients.</summary>
[Collection(ClusterCollection.Name)]
public sealed class OrleansConversationStoreTests(ClusterFixture fixture) : ConversationStoreContract
{
    protected override IConversationStore NewStore(ConversationStoreOptions options) =>
        new OrleansConversationStore(fixture.Clients[0], options, "store-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_turn_appended_through_one_client_is_read_through_every_other()
    {
        string name = "shared-" + Guid.NewGuid().ToString("N");
        var stores = fixture.Clients.Select(c => new OrleansConversationStore(c, storeName: name)).ToList();
        ConversationSummary created = (await stores[0].TryCreateAsync("shared", None))!;
        for (int i = 0; i < stores.Count; i++)
        {
            Assert.True(await stores[i].AppendAsync(created.Id, new ConversationTurn("user", "from client " + i), None));
        }

        foreach (OrleansConversationStore store in stores)
        {
            ConversationDocument doc = (await store.GetAsync(created.Id, None))!;
            Assert.Equal(stores.Count, doc.Turns.Count);
            Assert.Equal(stores.Count, (await store.ListAsync(None)).Single().TurnCount);
        }
    }
}
