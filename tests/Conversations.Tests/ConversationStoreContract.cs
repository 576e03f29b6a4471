namespace Agents.Conversations.Tests;

/// <summary>What every <see cref="IConversationStore"/> must do; each store's test class runs these against it.</summary>
public abstract class ConversationStoreContract
{
    protected static readonly CancellationToken None = CancellationToken.None;

    /// <summary>Creates an empty store with the given limits.</summary>
    protected abstract IConversationStore NewStore(ConversationStoreOptions options);

    protected IConversationStore NewStore() => NewStore(new ConversationStoreOptions());

    [Fact]
    public async Task Created_conversation_keeps_its_turns_in_order_and_its_title()
    {
        IConversationStore store = NewStore();
        ConversationSummary created = (await store.TryCreateAsync("  First chat  ", None))!;
        Assert.Equal("First chat", created.Title);
        Assert.True(await store.AppendAsync(created.Id, new ConversationTurn("user", "{\"text\":\"hi\"}"), None));
        Assert.True(await store.AppendAsync(created.Id, new ConversationTurn("assistant", "{\"text\":\"hello\",\"steps\":[1,2]}"), None));
        Assert.True(await store.SetTitleAsync(created.Id, "Greetings", None));

        ConversationDocument doc = (await store.GetAsync(created.Id, None))!;
        Assert.Equal("Greetings", doc.Title);
        Assert.Equal(created.CreatedAt, doc.CreatedAt);
        Assert.Equal(["user", "assistant"], doc.Turns.Select(t => t.Role));
        Assert.Equal("{\"text\":\"hello\",\"steps\":[1,2]}", doc.Turns[1].Payload);
        ConversationSummary listed = Assert.Single(await store.ListAsync(None));
        Assert.Equal(2, listed.TurnCount);
    }

    [Fact]
    public async Task List_is_oldest_first_and_delete_removes_turns_too()
    {
        IConversationStore store = NewStore();
        var ids = new List<string>();
        for (int i = 0; i < 4; i++)
        {
            ConversationSummary c = (await store.TryCreateAsync("chat " + i, None))!;
            await store.AppendAsync(c.Id, new ConversationTurn("user", "q" + i), None);
            ids.Add(c.Id);
        }

        Assert.Equal(ids, (await store.ListAsync(None)).Select(c => c.Id));
        Assert.True(await store.DeleteAsync(ids[1], None));
        Assert.False(await store.DeleteAsync(ids[1], None));
        Assert.Null(await store.GetAsync(ids[1], None));
        Assert.Equal([ids[0], ids[2], ids[3]], (await store.ListAsync(None)).Select(c => c.Id));
        Assert.Equal("q2", (await store.GetAsync(ids[2], None))!.Turns.Single().Payload);
    }

    [Fact]
    public async Task Unknown_ids_answer_false_or_null_not_an_exception()
    {
        IConversationStore store = NewStore();
        Assert.Null(await store.GetAsync("missing", None));
        Assert.False(await store.AppendAsync("missing", new ConversationTurn("user", "x"), None));
        Assert.False(await store.SetTitleAsync("missing", "t", None));
        Assert.False(await store.DeleteAsync("missing", None));
    }

    [Fact]
    public async Task Concurrent_appends_are_all_kept()
    {
        IConversationStore store = NewStore();
        ConversationSummary c = (await store.TryCreateAsync("busy", None))!;
        await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() => store.AppendAsync(c.Id, new ConversationTurn("user", "m" + i), None))));
        ConversationDocument doc = (await store.GetAsync(c.Id, None))!;
        Assert.Equal(Enumerable.Range(0, 64).Select(i => "m" + i).Order(), doc.Turns.Select(t => t.Payload).Order());
    }

    [Fact]
    public async Task A_full_store_refuses_new_conversations_and_a_full_conversation_says_so()
    {
        IConversationStore store = NewStore(new ConversationStoreOptions { MaxConversations = 2, MaxTurnsPerConversation = 2, DatabasePath = DatabasePath() });
        ConversationSummary c = (await store.TryCreateAsync("a", None))!;
        Assert.NotNull(await store.TryCreateAsync("b", None));
        Assert.Null(await store.TryCreateAsync("c", None));
        await store.AppendAsync(c.Id, new ConversationTurn("user", "1"), None);
        await store.AppendAsync(c.Id, new ConversationTurn("assistant", "2"), None);
        var e = await Assert.ThrowsAsync<ConversationLimitException>(() => store.AppendAsync(c.Id, new ConversationTurn("user", "3"), None));
        Assert.Contains("2 turns", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await store.GetAsync(c.Id, None))!.Turns.Count); // nothing lost, nothing half-written
    }

    [Fact]
    public async Task Bad_input_is_refused_with_a_clear_error()
    {
        IConversationStore store = NewStore(new ConversationStoreOptions { MaxPayloadLength = 10, MaxTitleLength = 5, DatabasePath = DatabasePath() });
        ConversationSummary c = (await store.TryCreateAsync("a long title", None))!;
        Assert.Equal("a lon", c.Title);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.AppendAsync(c.Id, new ConversationTurn(" ", "x"), None));
        var tooLong = await Assert.ThrowsAnyAsync<ArgumentException>(() => store.AppendAsync(c.Id, new ConversationTurn("user", new string('x', 11)), None));
        Assert.Contains("at most 10", tooLong.Message, StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.GetAsync("", None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.GetAsync(new string('i', 129), None));
        await Assert.ThrowsAsync<ArgumentNullException>(() => store.AppendAsync(c.Id, null!, None));
        Assert.Empty((await store.GetAsync(c.Id, None))!.Turns);
    }

    /// <summary>A fresh database path for stores that keep one (ignored by the others).</summary>
    protected virtual string DatabasePath() => "unused.db";
}
