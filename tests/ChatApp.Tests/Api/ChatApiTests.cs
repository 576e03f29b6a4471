using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Agents.Samples.ChatApp.Tests.Api;

/// <summary>The chat API over real HTTP on 127.0.0.1: streaming format and every way a request can be wrong.</summary>
public sealed class ChatApiTests
{
    private static readonly ScriptedAgentRunner Answering = new((request, ct) => Events(
        new ThinkingEvent("thinking"),
        new AnswerEvent("42", [new Citation(1, "Source", "https://example.org/")])));

    [Fact]
    public async Task Run_streams_server_sent_events_in_order_and_ends_with_done()
    {
        await using var app = await TestApp.StartAsync(Answering);
        using var http = app.CreateClient();
        var id = await CreateConversationAsync(http);

        using var response = await http.PostAsync($"api/conversations/{id}/messages", Json("{\"message\":\"What is 6*7?\",\"strategy\":\"bats\"}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = ParseSse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["thinking", "answer", "done"], events.Select(e => e.Name));
        Assert.Equal("42", events[1].Data.GetProperty("text").GetString());
        Assert.Equal("https://example.org/", events[1].Data.GetProperty("citations")[0].GetProperty("url").GetString());
        Assert.Equal("completed", events[2].Data.GetProperty("status").GetString());

        var conversation = await http.GetFromJsonAsync<JsonElement>($"api/conversations/{id}");
        Assert.Equal(2, conversation.GetProperty("messages").GetArrayLength());
        Assert.Equal("What is 6*7?", conversation.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Failing_agent_sends_an_error_event_and_done_failed()
    {
        var runner = new ScriptedAgentRunner((request, ct) => Failing());
        await using var app = await TestApp.StartAsync(runner);
        using var http = app.CreateClient();
        var id = await CreateConversationAsync(http);

        using var response = await http.PostAsync($"api/conversations/{id}/messages", Json("{\"message\":\"q\"}"));

        var events = ParseSse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["thinking", "error", "done"], events.Select(e => e.Name));
        Assert.StartsWith("The agent failed (error id err_", events[1].Data.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("model endpoint unreachable", events[1].Data.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("failed", events[2].Data.GetProperty("status").GetString());

        static async IAsyncEnumerable<AgentEvent> Failing()
        {
            await Task.Yield();
            yield return new ThinkingEvent("thinking");
            throw new HttpRequestException("model endpoint unreachable");
        }
    }

    [Fact]
    public async Task Run_longer_than_the_server_limit_is_stopped_as_timed_out()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runner = new ScriptedAgentRunner((request, ct) => Working(started, ct));
        await using var app = await TestApp.StartAsync(runner, new Dictionary<string, string?> { ["ChatApp:Limits:MaxRunDuration"] = "00:01:00" },
            services => services.AddSingleton<TimeProvider>(time));
        using var http = app.CreateClient();
        var id = await CreateConversationAsync(http);

        var post = http.PostAsync($"api/conversations/{id}/messages", Json("{\"message\":\"q\"}"));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(15));
        time.Advance(TimeSpan.FromMinutes(2));
        using var response = await post;

        var events = ParseSse(await response.Content.ReadAsStringAsync());
        Assert.Equal("timed_out", events[^1].Data.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Second_run_in_the_same_conversation_is_refused_while_one_is_running_and_stop_ends_it()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runner = new ScriptedAgentRunner((request, ct) => Working(started, ct));
        await using var app = await TestApp.StartAsync(runner);
        using var http = app.CreateClient();
        var id = await CreateConversationAsync(http);

        var first = http.PostAsync($"api/conversations/{id}/messages", Json("{\"message\":\"q\"}"));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(15));
        using var second = await http.PostAsync($"api/conversations/{id}/messages", Json("{\"message\":\"again\"}"));
        await AssertProblemAsync(second, HttpStatusCode.Conflict, "This conversation is already running; wait for it or press stop.");

        using var stop = await http.PostAsync($"api/conversations/{id}/stop", null);
        Assert.Equal(HttpStatusCode.Accepted, stop.StatusCode);
        using var firstResponse = await first;
        var events = ParseSse(await firstResponse.Content.ReadAsStringAsync());
        Assert.Equal("cancelled", events[^1].Data.GetProperty("status").GetString());

        using var stopAgain = await http.PostAsync($"api/conversations/{id}/stop", null);
        await AssertProblemAsync(stopAgain, HttpStatusCode.Conflict, "No run is in progress in this conversation.");
    }

    [Fact]
    public async Task A_report_run_names_its_turn_in_done_and_downloads_as_a_markdown_attachment()
    {
        var runner = new ScriptedAgentRunner((request, ct) => Events(
            new SectionsEvent([new ReportSection("Background", ReportSection.Complete)]),
            new AnswerEvent("# Report\n\n## Background\n\nText <script>x</script>\n", []) { IsReport = true }));
        await using var app = await TestApp.StartAsync(runner);
        using var http = app.CreateClient();
        var id = await CreateConversationAsync(http);

        using var response = await http.PostAsync($"api/conversations/{id}/messages", Json("{\"message\":\"q\",\"strategy\":\"report\"}"));

        var events = ParseSse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["sections", "answer", "done"], events.Select(e => e.Name));
        Assert.Equal(AgentStrategy.Report, Assert.Single(runner.Requests).Strategy);
        Assert.Equal("complete", events[0].Data.GetProperty("sections")[0].GetProperty("status").GetString());
        Assert.True(events[1].Data.GetProperty("isReport").GetBoolean());
        var turn = events[2].Data.GetProperty("turn").GetInt32();
        Assert.Equal(1, turn);

        using var download = await http.GetAsync($"api/conversations/{id}/messages/{turn}/report");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("text/markdown", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"report-{id}-1.md", download.Content.Headers.ContentDisposition?.FileNameStar ?? download.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal("# Report\n\n## Background\n\nText <script>x</script>\n", await download.Content.ReadAsStringAsync());

        using var notAReport = await http.GetAsync($"api/conversations/{id}/messages/0/report");
        await AssertProblemAsync(notAReport, HttpStatusCode.NotFound, $"Message 0 of conversation '{id}' is not a report.");
        using var missing = await http.GetAsync($"api/conversations/{id}/messages/7/report");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Closing_the_stream_stops_the_run_and_keeps_it_as_disconnected()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runner = new ScriptedAgentRunner((request, ct) => Endless(started, stopped, ct));
        await using var app = await TestApp.StartAsync(runner);
        using var http = app.CreateClient();
        var id = await CreateConversationAsync(http);

        using (var request = new HttpRequestMessage(HttpMethod.Post, $"api/conversations/{id}/messages") { Content = Json("{\"message\":\"q\"}") })
        using (var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("no-cache", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            Assert.Equal("event: thinking", await reader.ReadLineAsync());
            await started.Task.WaitAsync(TimeSpan.FromSeconds(15));
        }

        // The page went away: the agent's token is cancelled and the conversation keeps the run.
        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(15));
        var conversation = await http.GetFromJsonAsync<JsonElement>($"api/conversations/{id}");
        for (var i = 0; i < 300 && (conversation.GetProperty("isRunning").GetBoolean() || conversation.GetProperty("messages").GetArrayLength() < 2); i++)
        {
            await Task.Delay(50);
            conversation = await http.GetFromJsonAsync<JsonElement>($"api/conversations/{id}");
        }

        Assert.False(conversation.GetProperty("isRunning").GetBoolean());

        var events = conversation.GetProperty("messages")[1].GetProperty("events");
        Assert.Equal("disconnected", events[events.GetArrayLength() - 1].GetProperty("status").GetString());

        static async IAsyncEnumerable<AgentEvent> Endless(TaskCompletionSource started, TaskCompletionSource stopped, [EnumeratorCancellation] CancellationToken ct)
        {
            yield return new ThinkingEvent("working");
            started.TrySetResult();
            using var registration = ct.Register(() => stopped.TrySetResult());
            await Task.Delay(Timeout.Infinite, ct);
        }
    }

    [Theory]
    [InlineData("{\"message\": \"q\",", HttpStatusCode.BadRequest, "The request body is not valid JSON for this endpoint at line 1, position 16.")]
    [InlineData("{\"message\": 5}", HttpStatusCode.BadRequest, "The request body is not valid JSON for this endpoint at line 1, position 14 (field $.message).")]
    [InlineData("null", HttpStatusCode.BadRequest, "The request body is JSON null; send a JSON object.")]
    [InlineData("{}", HttpStatusCode.BadRequest, "message is missing or empty; type a question.")]
    [InlineData("{\"message\":\"   \"}", HttpStatusCode.BadRequest, "message is missing or empty; type a question.")]
    [InlineData("{\"message\":\"q\",\"strategy\":\"tree-of-thought\"}", HttpStatusCode.BadRequest, "strategy 'tree-of-thought' is unknown; use 'bats', 'react' or 'report'.")]
    [InlineData("{\"message\":\"q\",\"budget\":{\"searchUnits\":51,\"browseUnits\":1,\"maxTokens\":10,\"maxCostUsd\":0.1}}", HttpStatusCode.BadRequest, "budget.searchUnits is 51; it must be between 0 and the server maximum 50.")]
    [InlineData("{\"message\":\"q\",\"budget\":{\"searchUnits\":1,\"browseUnits\":-1,\"maxTokens\":10,\"maxCostUsd\":0.1}}", HttpStatusCode.BadRequest, "budget.browseUnits is -1; it must be between 0 and the server maximum 50.")]
    [InlineData("{\"message\":\"q\",\"budget\":{\"searchUnits\":1,\"browseUnits\":1,\"maxTokens\":999999999,\"maxCostUsd\":0.1}}", HttpStatusCode.BadRequest, "budget.maxTokens is 999999999; it must be between 1 and the server maximum 500000.")]
    [InlineData("{\"message\":\"q\",\"budget\":{\"searchUnits\":1,\"browseUnits\":1,\"maxTokens\":10,\"maxCostUsd\":100}}", HttpStatusCode.BadRequest, "budget.maxCostUsd is 100; it must be above 0 and at most the server maximum 2.")]
    public async Task Bad_message_requests_get_4xx_with_a_clear_detail(string body, HttpStatusCode status, string detail)
    {
        await using var app = await TestApp.StartAsync(Answering);
        using var http = app.CreateClient();
        var id = await CreateConversationAsync(http);

        using var response = await http.PostAsync($"api/conversations/{id}/messages", Json(body));

        await AssertProblemAsync(response, status, detail);
    }

    [Fact]
    public async Task Oversize_message_and_oversize_body_get_413()
    {
        await using var app = await TestApp.StartAsync(Answering, new Dictionary<string, string?>
        {
            ["ChatApp:Limits:MaxMessageChars"] = "100",
            ["ChatApp:Limits:MaxRequestBytes"] = "2048",
        });
        using var http = app.CreateClient();
        var id = await CreateConversationAsync(http);

        using var longMessage = await http.PostAsync($"api/conversations/{id}/messages", Json(JsonSerializer.Serialize(new { message = new string('a', 101) })));
        await AssertProblemAsync(longMessage, HttpStatusCode.RequestEntityTooLarge, "message has 101 characters; the server accepts at most 100.");

        // Expect: 100-continue lets the server answer 413 from Content-Length before the body is on the wire.
        using var big = new HttpRequestMessage(HttpMethod.Post, $"api/conversations/{id}/messages") { Content = Json(JsonSerializer.Serialize(new { message = new string('a', 5000) })) };
        big.Headers.ExpectContinue = true;
        using var bigBody = await http.SendAsync(big);
        await AssertProblemAsync(bigBody, HttpStatusCode.RequestEntityTooLarge, "The request body is larger than the server limit of 2048 bytes.");

        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { message = new string('b', 5000) }))));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/conversations/{id}/messages") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.ExpectContinue = true;
        using var chunkedResponse = await http.SendAsync(request);
        await AssertProblemAsync(chunkedResponse, HttpStatusCode.RequestEntityTooLarge, "The request body is larger than the server limit of 2048 bytes.");
        Assert.DoesNotContain(((ScriptedAgentRunner)app.Services.GetRequiredService<IAgentRunner>()).Requests, r => r.ConversationId == id);
    }

    [Fact]
    public async Task Wrong_content_type_unknown_conversation_and_empty_body_are_refused()
    {
        await using var app = await TestApp.StartAsync(Answering);
        using var http = app.CreateClient();
        var id = await CreateConversationAsync(http);

        using var text = await http.PostAsync($"api/conversations/{id}/messages", new StringContent("message=hi", Encoding.UTF8, "text/plain"));
        await AssertProblemAsync(text, HttpStatusCode.UnsupportedMediaType, "Send the request body as JSON with the header Content-Type: application/json.");

        using var empty = await http.PostAsync($"api/conversations/{id}/messages", Json(string.Empty));
        await AssertProblemAsync(empty, HttpStatusCode.BadRequest, "The request body is empty; send a JSON object.");

        using var missing = await http.PostAsync("api/conversations/nope/messages", Json("{\"message\":\"q\"}"));
        await AssertProblemAsync(missing, HttpStatusCode.NotFound, "There is no conversation 'nope'.");

        using var stopMissing = await http.PostAsync("api/conversations/nope/stop", null);
        await AssertProblemAsync(stopMissing, HttpStatusCode.NotFound, "There is no conversation 'nope'.");
    }

    [Fact]
    public async Task Conversation_count_is_capped_and_delete_frees_a_slot()
    {
        await using var app = await TestApp.StartAsync(Answering, new Dictionary<string, string?> { ["ChatApp:Limits:MaxConversations"] = "2" });
        using var http = app.CreateClient();
        var first = await CreateConversationAsync(http);
        await CreateConversationAsync(http);

        using var third = await http.PostAsync("api/conversations", null);
        await AssertProblemAsync(third, HttpStatusCode.Conflict, "The server keeps a limited number of conversations (ChatApp:Limits:MaxConversations); delete one first.");

        using var delete = await http.DeleteAsync($"api/conversations/{first}");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await CreateConversationAsync(http);
    }

    [Fact]
    public async Task Full_conversation_refuses_new_questions()
    {
        await using var app = await TestApp.StartAsync(Answering, new Dictionary<string, string?> { ["ChatApp:Limits:MaxMessagesPerConversation"] = "4" });
        using var http = app.CreateClient();
        var id = await CreateConversationAsync(http);

        for (var i = 0; i < 2; i++)
        {
            using var ok = await http.PostAsync($"api/conversations/{id}/messages", Json("{\"message\":\"q\"}"));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            await ok.Content.ReadAsStringAsync();
        }

        using var full = await http.PostAsync($"api/conversations/{id}/messages", Json("{\"message\":\"q\"}"));
        await AssertProblemAsync(full, HttpStatusCode.Conflict, "This conversation has reached 4 messages (ChatApp:Limits:MaxMessagesPerConversation); start a new chat.");
    }

    [Fact]
    public async Task Api_key_is_required_on_the_api_when_configured_but_not_for_the_page()
    {
        const string key = "0123456789abcdef-test-key";
        await using var app = await TestApp.StartAsync(Answering, new Dictionary<string, string?> { ["ChatApp:ApiKey"] = key });
        using var http = app.CreateClient();

        using var page = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());

        using var noKey = await http.PostAsync("api/conversations", null);
        await AssertProblemAsync(noKey, HttpStatusCode.Unauthorized, "This server requires its API key: send it in the X-Api-Key header or as 'Authorization: Bearer <key>'.");
        using var wrongKey = new HttpRequestMessage(HttpMethod.Post, "api/conversations");
        wrongKey.Headers.Add("X-Api-Key", key + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrongKey)).StatusCode);
        using var completions = await http.PostAsync("v1/chat/completions", Json("{}"));
        Assert.Equal(HttpStatusCode.Unauthorized, completions.StatusCode);

        using var withHeader = new HttpRequestMessage(HttpMethod.Post, "api/conversations");
        withHeader.Headers.Add("X-Api-Key", key);
        Assert.Equal(HttpStatusCode.Created, (await http.SendAsync(withHeader)).StatusCode);
        using var withBearer = new HttpRequestMessage(HttpMethod.Get, "api/conversations");
        withBearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(withBearer)).StatusCode);
    }

    [Theory]
    [InlineData("http://0.0.0.0:0", null, "ChatApp:Urls binds 'http://0.0.0.0:0', which is not a loopback address; set ChatApp:ApiKey so that only clients with the key can use the app.")]
    [InlineData("http://*:0", null, "ChatApp:Urls binds 'http://*:0', which is not a loopback address; set ChatApp:ApiKey")]
    [InlineData("http://127.0.0.1:0", "short", "ChatApp:ApiKey must be at least 16 characters long.")]
    [InlineData("ftp://127.0.0.1:0", null, "ChatApp:Urls contains 'ftp://127.0.0.1:0', which is not an http(s) address.")]
    public void Unsafe_or_invalid_binding_fails_at_start_naming_the_option(string urls, string? apiKey, string expected)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Samples.ChatApp.Hosting.ChatAppHost.Build([$"--ChatApp:Urls={urls}", $"--ChatApp:ApiKey={apiKey}"]));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Non_loopback_binding_with_an_api_key_starts()
    {
        var app = Samples.ChatApp.Hosting.ChatAppHost.Build(["--ChatApp:Urls=http://0.0.0.0:0", "--ChatApp:ApiKey=0123456789abcdef-test-key"]);
        await app.StartAsync();
        try
        {
            var port = new Uri(app.Urls.Single().Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)).Port;
            using var http = new HttpClient();
            using var response = await http.GetAsync($"http://127.0.0.1:{port}/api/conversations");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public void Default_budget_above_the_server_maximum_fails_at_start()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Samples.ChatApp.Hosting.ChatAppHost.Build(
            ["--ChatApp:Urls=http://127.0.0.1:0", "--ChatApp:Limits:MaxSearchUnits=5"]));
        Assert.Contains("ChatApp:DefaultBudget.searchUnits is 10; it must be between 0 and the server maximum 5.", error.Message, StringComparison.Ordinal);
    }

    internal static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    internal static async Task<string> CreateConversationAsync(HttpClient http)
    {
        using var response = await http.PostAsync("api/conversations", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    internal static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        Assert.Equal(status, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }

    private static List<(string Name, JsonElement Data)> ParseSse(string text)
    {
        var events = new List<(string, JsonElement)>();
        foreach (var block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            var name = lines.Single(l => l.StartsWith("event: ", StringComparison.Ordinal))["event: ".Length..];
            var data = lines.Single(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..];
            events.Add((name, JsonDocument.Parse(data).RootElement.Clone()));
        }

        return events;
    }

    /// <summary>A run that says it is working, signals <paramref name="started"/>, and then works until it is cancelled.</summary>
    private static async IAsyncEnumerable<AgentEvent> Working(TaskCompletionSource started, [EnumeratorCancellation] CancellationToken ct)
    {
        yield return new ThinkingEvent("working");
        started.TrySetResult();
        await Task.Delay(Timeout.Infinite, ct);
    }

    private static async IAsyncEnumerable<AgentEvent> Events(params AgentEvent[] events)
    {
        foreach (var e in events)
        {
            await Task.Yield();
            yield return e;
        }
    }
}
