namespace Agents.Conversations.Tests;

public sealed class InMemoryConversationStoreTests : ConversationStoreContract
{
    protected override IConversationStore NewStore(ConversationStoreOptions options) => new InMemoryConversationStore(options);
}
