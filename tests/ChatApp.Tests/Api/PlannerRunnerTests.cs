using static Agents.Samples.ChatApp.Tests.Fakes.BatsRoles;

namespace Agents.Samples.ChatApp.Tests.Api;

/// <summary>The chat API streaming the REAL planners (BATS, ReAct + tracker) over real tools; only the model is scripted.</summary>
public sealed class PlannerRunnerTests
{
    [Fact]
    public async Task Bats_streams_plan_attempt_tool_call_verification_and_the_answer()
    {
        var model = new ScriptedChatClient((messages, options) =>
            BatsRoles.Answer(messages, "search the library docs", "searched once") ?? (messages.Any(m => m.Role == ChatRole.Tool)
                ? Reply("<answer>Lucene.Net</answer>")
                : new ChatResponse(new ChatMessage(ChatRole.Assistant,
                    [new FunctionCallContent("c1", "web_search", new Dictionary<string, object?> { ["queries"] = new[] { "embedded search library" } })]))));
        await using var app = await StartAsync(model);
        using var http = app.CreateClient();
        var id = await CreateConversationAsync(http);

        // Model calls reserve their worst case (a conservative prompt estimate plus the output cap), so the token budget has room for every call.
        var events = await RunAsync(http, id, "{\"message\":\"Which embedded .NET search library?\",\"strategy\":\"bats\",\"budget\":{\"searchUnits\":3,\"browseUnits\":0,\"maxTokens\":100000,\"maxCostUsd\":0.1}}");

        Assert.Contains(events, e => e.Name == "thinking" && e.Data.GetProperty("label").GetString() == "plan" && e.Data.GetProperty("text").GetString()!.Contains("search the library docs", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Name == "thinking" && e.Data.GetProperty("label").GetString() == "attempt");
        Assert.Contains(events, e => e.Name == "tool_call" && e.Data.GetProperty("tool").GetString() == "web_search");
        var result = events.First(e => e.Name == "tool_result").Data;
        Assert.True(result.GetProperty("executed").GetBoolean());
        Assert.EndsWith(" for 1 query", result.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Contains(result.GetProperty("cards").EnumerateArray(), c => (c.GetProperty("url").GetString() + " " + c.GetProperty("title").GetString()).Contains("lucene", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(events, e => e.Name == "thinking" && e.Data.GetProperty("label").GetString() == "verify" && e.Data.GetProperty("text").GetString()!.StartsWith("Success", StringComparison.OrdinalIgnoreCase));
        var budget = events.Last(e => e.Name == "budget").Data;
        Assert.Equal(1, budget.GetProperty("categories").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "search").GetProperty("used").GetInt64());
        var answer = events.Single(e => e.Name == "answer").Data;
        Assert.Equal("Lucene.Net", answer.GetProperty("text").GetString());
        Assert.Equal("answered", answer.GetProperty("status").GetString());
        Assert.Equal("completed", events[^1].Data.GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_answer_streams_as_delta_events_before_the_answer_and_is_not_kept_with_the_run()
    {
        const string reply = "Answer: Lucene.Net is the embedded search library for .NET.";
        var model = new ScriptedChatClient((messages, options) => Reply(reply));
        await using var app = await StartAsync(model);
        using var http = app.CreateClient();
        var id = await CreateConversationAsync(http);

        var events = await RunAsync(http, id, "{\"message\":\"Which library?\",\"strategy\":\"react\",\"budget\":{\"searchUnits\":1,\"browseUnits\":0,\"maxTokens\":100000,\"maxCostUsd\":0.1}}");

        var deltas = events.Where(e => e.Name == "delta").ToList();
        Assert.True(deltas.Count >= 5, $"{deltas.Count} deltas");
        Assert.Equal(reply, string.Concat(deltas.Select(d => d.Data.GetProperty("text").GetString())));
        Assert.All(deltas, d => Assert.Equal("act", d.Data.GetProperty("purpose").GetString()));
        Assert.True(events.FindLastIndex(e => e.Name == "delta") < events.FindIndex(e => e.Name == "answer"));

        var conversation = await http.GetFromJsonAsync<JsonElement>($"api/conversations/{id}");
        var stored = conversation.GetProperty("messages")[1].GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.DoesNotContain("delta", stored);
        Assert.Contains("answer", stored);
    }

    [Fact]
    public async Task React_with_tracker_refuses_a_search_beyond_the_session_budget_and_answers_without_tools()
    {
        var model = new ScriptedChatClient((messages, options) =>
            options?.Tools is { Count: > 0 } && !messages.Any(m => m.Role == ChatRole.Tool)
                ? new ChatResponse(new ChatMessage(ChatRole.Assistant,
                    [new FunctionCallContent("c1", "web_search", new Dictionary<string, object?> { ["queries"] = new[] { "lucene", "tracker" } })]))
                : Reply("Answer: I could not search; Lucene.Net is my best guess."));
        await using var app = await StartAsync(model);
        using var http = app.CreateClient();
        var id = await CreateConversationAsync(http);

        var events = await RunAsync(http, id, "{\"message\":\"Which library?\",\"strategy\":\"react\",\"budget\":{\"searchUnits\":1,\"browseUnits\":0,\"maxTokens\":100000,\"maxCostUsd\":0.1}}");

        var refused = events.Single(e => e.Name == "tool_result").Data;
        Assert.False(refused.GetProperty("executed").GetBoolean());
        Assert.Contains("search", refused.GetProperty("summary").GetString(), StringComparison.Ordinal);
        var budget = events.Last(e => e.Name == "budget").Data;
        Assert.Equal(0, budget.GetProperty("categories").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "search").GetProperty("used").GetInt64());
        Assert.Contains("Lucene.Net is my best guess", events.Single(e => e.Name == "answer").Data.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("completed", events[^1].Data.GetProperty("status").GetString());
    }

    private static Task<TestApp> StartAsync(IChatClient model) => TestApp.StartOverFoldersAsync(s => s.AddSingleton(model));

    private static async Task<List<(string Name, JsonElement Data)>> RunAsync(HttpClient http, string id, string body)
    {
        using var response = await http.PostAsync($"api/conversations/{id}/messages", Json(body));
        response.EnsureSuccessStatusCode();
        var events = new List<(string, JsonElement)>();
        foreach (var block in (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            events.Add((lines[0]["event: ".Length..], JsonDocument.Parse(lines[1]["data: ".Length..]).RootElement.Clone()));
        }

        return events;
    }
}
