using Agents.Budget.Orleans.Tests.Redis;
using Agents.Samples.ChatApp.Tests.Api;

namespace Agents.Samples.ChatApp.Tests.Conversations;

/// <summary>Conversations survive a restart (SQLite, one process) and are shared by replicas (cluster mode over a real Redis).</summary>
public sealed class ConversationPersistenceTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private static readonly ScriptedAgentRunner Answering = new((request, ct) => Events(
        new ThinkingEvent("looked it up"),
        new AnswerEvent("Paris [1]", [new Citation(1, "Atlas", "https://example.org/atlas")])));

    [Fact]
    public async Task A_restarted_app_serves_every_conversation_with_its_whole_run()
    {
        string path = Path.Combine(Path.GetTempPath(), "agents-chat-" + Guid.NewGuid().ToString("N"), "conversations.db");
        var settings = new Dictionary<string, string?> { ["ChatApp:ConversationsPath"] = path };
        string id;
        await using (var first = await TestApp.StartAsync(Answering, settings))
        {
            using var http = first.CreateClient();
            id = await ChatApiTests.CreateConversationAsync(http);
            using var sent = await http.PostAsync($"api/conversations/{id}/messages", ChatApiTests.Json("{\"message\":\"Capital of France?\"}"));
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
            await sent.Content.ReadAsStringAsync();
        }

        await using var second = await TestApp.StartAsync(Answering, settings);
        using var again = second.CreateClient();
        var conversation = await again.GetFromJsonAsync<JsonElement>($"api/conversations/{id}");
        Assert.Equal("Capital of France?", conversation.GetProperty("title").GetString());
        JsonElement messages = conversation.GetProperty("messages");
        Assert.Equal(2, messages.GetArrayLength());
        Assert.Equal("Capital of France?", messages[0].GetProperty("text").GetString());
        Assert.Equal("Paris [1]", messages[1].GetProperty("text").GetString());
        Assert.Equal("https://example.org/atlas", messages[1].GetProperty("citations")[0].GetProperty("url").GetString());
        Assert.Contains(messages[1].GetProperty("events").EnumerateArray(), e => e.GetProperty("type").GetString() == "thinking");
        var list = await again.GetFromJsonAsync<JsonElement>("api/conversations");
        Assert.Contains(list.EnumerateArray(), c => c.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task A_message_sent_through_one_clustered_replica_appears_through_another()
    {
        string clusterId = "chat-" + Guid.NewGuid().ToString("N");
        await using var one = await TestApp.StartAsync(Answering, Replica(clusterId));
        await using var two = await TestApp.StartAsync(Answering, Replica(clusterId));
        using var httpOne = one.CreateClient();
        using var httpTwo = two.CreateClient();

        string id = await ChatApiTests.CreateConversationAsync(httpOne);
        using (var sent = await httpOne.PostAsync($"api/conversations/{id}/messages", ChatApiTests.Json("{\"message\":\"asked on one\"}")))
        {
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
            await sent.Content.ReadAsStringAsync();
        }

        var seenOnTwo = await httpTwo.GetFromJsonAsync<JsonElement>($"api/conversations/{id}");
        Assert.Equal(["asked on one", "Paris [1]"], seenOnTwo.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()));
        Assert.Contains((await httpTwo.GetFromJsonAsync<JsonElement>("api/conversations")).EnumerateArray(), c => c.GetProperty("id").GetString() == id);

        using (var sent = await httpTwo.PostAsync($"api/conversations/{id}/messages", ChatApiTests.Json("{\"message\":\"asked on two\"}")))
        {
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
            await sent.Content.ReadAsStringAsync();
        }

        var seenOnOne = await httpOne.GetFromJsonAsync<JsonElement>($"api/conversations/{id}");
        Assert.Equal(4, seenOnOne.GetProperty("messages").GetArrayLength());
        Assert.Equal("asked on two", seenOnOne.GetProperty("messages")[2].GetProperty("text").GetString());
    }

    private Dictionary<string, string?> Replica(string clusterId) => new()
    {
        ["ChatApp:Cluster:Redis"] = "redis://" + redis.ConnectionString,
        ["ChatApp:Cluster:ClusterId"] = clusterId,
        ["ChatApp:Cluster:SiloPort"] = LocalPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["ChatApp:Cluster:GatewayPort"] = LocalPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["ChatApp:Cluster:AdvertisedAddress"] = "127.0.0.1",
    };

    private static async IAsyncEnumerable<AgentEvent> Events(params AgentEvent[] events)
    {
        foreach (var e in events)
        {
            await Task.Yield();
            yield return e;
        }
    }
}
