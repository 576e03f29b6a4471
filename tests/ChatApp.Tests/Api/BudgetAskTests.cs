namespace Agents.Samples.ChatApp.Tests.Api;

/// <summary>Issue 18 item 3: a run of the REAL planner whose search budget is spent asks the page and goes on when granted.</summary>
public sealed class BudgetAskTests
{
    private const string Body = "{\"message\":\"Which library?\",\"strategy\":\"react\",\"budget\":{\"searchUnits\":1,\"browseUnits\":0,\"maxTokens\":100000,\"maxCostUsd\":0.1}}";

    [Fact]
    public async Task Granted_the_refused_search_runs_and_the_answer_comes_on_the_same_stream()
    {
        var answerHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var model = Model(answerHeld.Task);
        await using var app = await StartAsync(model);
        using var http = app.CreateClient();
        var id = await CreateConversationAsync(http);
        await using var run = await SseRun.StartAsync(http, id, Body);

        var before = await run.ReadUntilAsync("ask");
        var ask = before[^1].Data;
        Assert.Equal("search", ask.GetProperty("category").GetString());
        Assert.Equal((1L, 1L, 3), (ask.GetProperty("spent").GetInt64(), ask.GetProperty("limit").GetInt64(), ask.GetProperty("offer").GetInt32()));
        Assert.Equal("The search budget is spent; continue with 3 more?", ask.GetProperty("text").GetString());
        var askId = ask.GetProperty("askId").GetString()!;
        Assert.Single(before, e => e.Name == "tool_result");

        // While the run waits, the conversation shows the question; bad answers change nothing.
        var waiting = await http.GetFromJsonAsync<JsonElement>($"api/conversations/{id}");
        Assert.Equal(askId, waiting.GetProperty("pendingAsk").GetProperty("askId").GetString());
        await AssertProblemAsync(await http.PostAsync($"api/conversations/{id}/asks/ask-unknown", Json("{\"grant\":true}")), HttpStatusCode.NotFound,
            $"The run in progress in conversation '{id}' has no question 'ask-unknown'.");
        await AssertProblemAsync(await http.PostAsync($"api/conversations/nope/asks/{askId}", Json("{\"grant\":true}")), HttpStatusCode.NotFound, "There is no conversation 'nope'.");
        await AssertProblemAsync(await http.PostAsync($"api/conversations/{id}/asks/{askId}", Json("{}")), HttpStatusCode.BadRequest,
            "grant is missing; send {\"grant\": true} to continue or {\"grant\": false} to stop.");
        using (var notBool = await http.PostAsync($"api/conversations/{id}/asks/{askId}", Json("{\"grant\":\"yes\"}")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, notBool.StatusCode);
        }

        using (var granted = await http.PostAsync($"api/conversations/{id}/asks/{askId}", Json("{\"grant\":true}")))
        {
            Assert.Equal(HttpStatusCode.Accepted, granted.StatusCode);
        }

        await AssertProblemAsync(await http.PostAsync($"api/conversations/{id}/asks/{askId}", Json("{\"grant\":false}")), HttpStatusCode.Conflict,
            $"The question '{askId}' was answered already.");
        answerHeld.SetResult();
        var after = await run.ReadUntilAsync("done");

        var answer = after.Single(e => e.Name == "ask_answer").Data;
        Assert.Equal((askId, true, 3, "user"), (answer.GetProperty("askId").GetString(), answer.GetProperty("granted").GetBoolean(), answer.GetProperty("units").GetInt32(), answer.GetProperty("by").GetString()));
        var results = after.Where(e => e.Name == "tool_result").Select(e => e.Data).ToList();
        Assert.True(Assert.Single(results).GetProperty("executed").GetBoolean());
        Assert.True(after.FindIndex(e => e.Name == "ask_answer") < after.FindIndex(e => e.Name == "tool_result"));
        var budget = after.Last(e => e.Name == "budget").Data.GetProperty("categories").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "search");
        Assert.Equal(2, budget.GetProperty("used").GetInt64());
        Assert.Contains("Lucene.Net", after.Single(e => e.Name == "answer").Data.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("completed", after[^1].Data.GetProperty("status").GetString());

        // The question and its answer are kept with the run (receipts, shown after a reload); nothing is pending any more.
        var stored = await http.GetFromJsonAsync<JsonElement>($"api/conversations/{id}");
        Assert.False(stored.TryGetProperty("pendingAsk", out _));
        var kept = stored.GetProperty("messages")[1].GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.True(kept.IndexOf("ask") >= 0 && kept.IndexOf("ask") < kept.IndexOf("ask_answer"));
        await AssertProblemAsync(await http.PostAsync($"api/conversations/{id}/asks/{askId}", Json("{\"grant\":true}")), HttpStatusCode.NotFound,
            $"The run in progress in conversation '{id}' has no question '{askId}'.");
    }

    [Fact]
    public async Task Declined_the_run_answers_without_more_tool_calls()
    {
        var model = Model(Task.CompletedTask);
        await using var app = await StartAsync(model);
        using var http = app.CreateClient();
        var id = await CreateConversationAsync(http);
        await using var run = await SseRun.StartAsync(http, id, Body);

        var askId = (await run.ReadUntilAsync("ask"))[^1].Data.GetProperty("askId").GetString()!;
        using (var declined = await http.PostAsync($"api/conversations/{id}/asks/{askId}", Json("{\"grant\":false}")))
        {
            Assert.Equal(HttpStatusCode.Accepted, declined.StatusCode);
        }

        var after = await run.ReadUntilAsync("done");

        // The refused search is the last tool result: the model answers without tools, and nothing asks again.
        Assert.False(after.Single(e => e.Name == "ask_answer").Data.GetProperty("granted").GetBoolean());
        Assert.False(after.Single(e => e.Name == "tool_result").Data.GetProperty("executed").GetBoolean());
        Assert.DoesNotContain(after, e => e.Name == "ask");
        Assert.Contains("Lucene.Net", after.Single(e => e.Name == "answer").Data.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("completed", after[^1].Data.GetProperty("status").GetString());
        Assert.True(model.Calls[^1].Options?.Tools is null or { Count: 0 });
    }

    [Fact]
    public async Task Unanswered_questions_are_declined_by_the_timeout()
    {
        var model = Model(Task.CompletedTask);
        await using var app = await StartAsync(model, ("ChatApp:AskTimeout", "00:00:00.2"));
        using var http = app.CreateClient();
        var id = await CreateConversationAsync(http);
        await using var run = await SseRun.StartAsync(http, id, Body);

        var events = await run.ReadUntilAsync("done");

        var answer = events.Single(e => e.Name == "ask_answer").Data;
        Assert.Equal((false, "timeout"), (answer.GetProperty("granted").GetBoolean(), answer.GetProperty("by").GetString()));
        Assert.Equal("completed", events[^1].Data.GetProperty("status").GetString());
    }

    /// <summary>Searches until two tool results are in (the second is refused unless granted), then answers once <paramref name="answerHeld"/> completes.</summary>
    private static ScriptedChatClient Model(Task answerHeld) => new(async (messages, options, cancellationToken) =>
    {
        var results = messages.Count(m => m.Role == ChatRole.Tool);
        if (options?.Tools is { Count: > 0 } && results < 2)
        {
            return new ChatResponse(new ChatMessage(ChatRole.Assistant,
                [new FunctionCallContent("c" + results, "web_search", new Dictionary<string, object?> { ["queries"] = new[] { results == 0 ? "embedded search" : "lucene" } })]))
            { Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 10 } };
        }

        await answerHeld.WaitAsync(cancellationToken);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, "Answer: Lucene.Net.")) { Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 10 } };
    });

    private static Task<TestApp> StartAsync(IChatClient model, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?> { ["ChatApp:AskForMoreUnits"] = "3" };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return TestApp.StartOverFoldersAsync(s => s.AddSingleton(model), settings);
    }
}
