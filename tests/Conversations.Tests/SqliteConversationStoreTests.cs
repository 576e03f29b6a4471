using Microsoft.Extensions.Options;

namespace Agents.Conversations.Tests;

public sealed class SqliteConversationStoreTests : ConversationStoreContract, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "agents-conv-" + Guid.NewGuid().ToString("N"));
    private readonly List<SqliteConversationStore> _stores = [];

    public void Dispose()
    {
        _stores.ForEach(s => s.Dispose());
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    protected override IConversationStore NewStore(ConversationStoreOptions options)
    {
        if (options.DatabasePath == "conversations.db")
        {
            options.DatabasePath = DatabasePath();
        }

        var store = new SqliteConversationStore(options);
        _stores.Add(store);
        return store;
    }

    protected override string DatabasePath() => Path.Combine(_folder, Guid.NewGuid().ToString("N"), "conversations.db");

    [Fact]
    public async Task A_restarted_process_finds_every_conversation_and_turn()
    {
        string path = DatabasePath();
        string id;
        using (var first = new SqliteConversationStore(new ConversationStoreOptions { DatabasePath = path }))
        {
            id = (await first.TryCreateAsync("survives", None))!.Id;
            await first.AppendAsync(id, new ConversationTurn("user", "before the restart"), None);
            await first.AppendAsync(id, new ConversationTurn("assistant", "{\"answer\":42}"), None);
        }

        using var second = new SqliteConversationStore(new ConversationStoreOptions { DatabasePath = path });
        ConversationDocument doc = (await second.GetAsync(id, None))!;
        Assert.Equal("survives", doc.Title);
        Assert.Equal(["before the restart", "{\"answer\":42}"], doc.Turns.Select(t => t.Payload));
        Assert.True(await second.AppendAsync(id, new ConversationTurn("user", "after"), None));
        Assert.Equal(3, (await second.GetAsync(id, None))!.Turns.Count);
    }

    [Fact]
    public async Task A_path_that_cannot_hold_a_database_names_the_path()
    {
        Directory.CreateDirectory(_folder);
        string folderAsFile = Path.Combine(_folder, "a-folder");
        Directory.CreateDirectory(folderAsFile);
        using var store = new SqliteConversationStore(new ConversationStoreOptions { DatabasePath = folderAsFile });
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => store.ListAsync(None));
        Assert.Contains(folderAsFile, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_options_throw_OptionsValidationException_naming_the_option()
    {
        var e = Assert.Throws<OptionsValidationException>(() => new SqliteConversationStore(new ConversationStoreOptions { DatabasePath = " ", MaxConversations = 0 }));
        Assert.Contains("DatabasePath", e.Message, StringComparison.Ordinal);
        Assert.Contains("MaxConversations", e.Message, StringComparison.Ordinal);
    }
}
