using System.ClientModel;
using OpenAI.Chat;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace Agents.Samples.ChatApp.Tests.Completions;

/// <summary><c>/v1/chat/completions</c> driven by the OpenAI .NET client over a scripted <see cref="IChatClient"/>.</summary>
public sealed class ChatCompletionsTests
{
    private static ScriptedChatClient EchoModel() => new((messages, options) =>
        new ChatResponse(new AIChatMessage(ChatRole.Assistant, $"echo: {messages[^1].Text} (max {options?.MaxOutputTokens}, t {options?.Temperature})"))
        {
            FinishReason = Microsoft.Extensions.AI.ChatFinishReason.Length,
            Usage = new UsageDetails { InputTokenCount = 7, OutputTokenCount = 5, TotalTokenCount = 12 },
        });

    [Fact]
    public async Task Non_streaming_completion_returns_text_finish_reason_and_usage()
    {
        var model = EchoModel();
        await using var app = await CompletionsApp.StartAsync(model);

        ChatCompletion completion = await app.OpenAIChat().CompleteChatAsync(
            [new SystemChatMessage("be brief"), new UserChatMessage("hello there")],
            new ChatCompletionOptions { MaxOutputTokenCount = 16, Temperature = 0.5f });

        Assert.Equal("echo: hello there (max 16, t 0.5)", completion.Content[0].Text);
        Assert.Equal(OpenAI.Chat.ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(7, completion.Usage.InputTokenCount);
        Assert.Equal(5, completion.Usage.OutputTokenCount);
        Assert.Equal("tiny-test", completion.Model);
        var call = Assert.Single(model.Calls);
        Assert.Equal([ChatRole.System, ChatRole.User], call.Messages.Select(m => m.Role));
    }

    [Fact]
    public async Task N_choices_from_a_model_that_answers_once_are_asked_for_n_times_and_their_usage_is_summed()
    {
        var model = EchoModel();
        await using var app = await CompletionsApp.StartAsync(model);
        using var http = app.CreateClient();

        using var response = await http.PostAsync("v1/chat/completions", Json("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"n\":3}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var choices = body.RootElement.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2], choices.Select(c => c.GetProperty("index").GetInt32()));
        Assert.All(choices, c => Assert.StartsWith("echo: hi", c.GetProperty("message").GetProperty("content").GetString(), StringComparison.Ordinal));
        Assert.All(choices, c => Assert.Equal("length", c.GetProperty("finish_reason").GetString()));
        Assert.Equal(21, body.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(15, body.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(3, model.Calls.Count);
    }

    [Fact]
    public async Task N_choices_from_a_model_that_answers_n_at_once_come_from_one_call()
    {
        var model = new ScriptedChatClient((messages, options) =>
        {
            var n = options!.AdditionalProperties!["n"] is int count ? count : 0;
            var replies = Enumerable.Range(0, n).Select(i => new AIChatMessage(ChatRole.Assistant, $"reply {i}")
            {
                AdditionalProperties = new() { ["choice_index"] = i, ["finish_reason"] = i == 0 ? "length" : "stop" },
            });
            return new ChatResponse([.. replies]) { Usage = new UsageDetails { InputTokenCount = 7, OutputTokenCount = 4 * n } };
        });
        await using var app = await CompletionsApp.StartAsync(model);
        using var http = app.CreateClient();

        using var response = await http.PostAsync("v1/chat/completions", Json("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"n\":4}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var choices = body.RootElement.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal(["reply 0", "reply 1", "reply 2", "reply 3"], choices.Select(c => c.GetProperty("message").GetProperty("content").GetString()));
        Assert.Equal(["length", "stop", "stop", "stop"], choices.Select(c => c.GetProperty("finish_reason").GetString()));
        Assert.Equal(16, body.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Single(model.Calls);
    }

    [Fact]
    public async Task Streaming_completion_streams_deltas_then_finish_reason_and_usage()
    {
        await using var app = await CompletionsApp.StartAsync(EchoModel());

        var parts = new List<string>();
        OpenAI.Chat.ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in app.OpenAIChat().CompleteChatStreamingAsync([new UserChatMessage("stream me")]))
        {
            parts.AddRange(update.ContentUpdate.Select(p => p.Text));
            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.True(parts.Count > 2);
        Assert.Equal("echo: stream me (max , t )", string.Concat(parts));
        Assert.Equal(OpenAI.Chat.ChatFinishReason.Length, finish);
        Assert.Equal(12, usage?.TotalTokenCount);
    }

    [Theory]
    [InlineData("{\"model\":\"m\"}", "'messages' is required and must be an array of {role, content} objects.")]
    [InlineData("{\"messages\":[]}", "'messages' is empty; send at least one message.")]
    [InlineData("{\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}", "messages[0].role must be 'system', 'developer', 'user', 'assistant' or 'tool'.")]
    [InlineData("{\"messages\":[{\"role\":\"user\"}]}", "messages[0].content is required.")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\"}]}]}", "messages[0].content[0] must be a text part {\"type\":\"text\",\"text\":\"...\"}; other parts are not supported.")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":100000}", "'max_tokens' is 100000; it must be between 1 and the server maximum 4096.")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":7}", "'temperature' must be a number between 0 and 2.")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":9}", "'n' must be an integer from 1 to 8.")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":0}", "'n' must be an integer from 1 to 8.")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":2,\"stream\":true}", "'n' above 1 cannot be streamed by this server; set 'stream' to false.")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":\"yes\"}", "'stream' must be true or false.")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tools\":[{\"type\":\"function\"}]}", "tools[0] must be {\"type\":\"function\",\"function\":{\"name\",\"description\",\"parameters\"}}.")]
    [InlineData("{\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}", "messages[0].tool_call_id is required on a 'tool' message.")]
    [InlineData("{\"messages\":[{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{oops\"}}]}]}", "messages[0].tool_calls[0].function.arguments is not a JSON object.")]
    [InlineData("{\"messages\": [", "The request body is not valid JSON for this endpoint at line 1, position 15.")]
    [InlineData("[1,2]", "The request body must be a JSON object.")]
    public async Task Bad_requests_get_400_with_an_openai_style_error(string body, string message)
    {
        var model = EchoModel();
        await using var app = await CompletionsApp.StartAsync(model);
        using var http = app.CreateClient();

        using var response = await http.PostAsync("v1/chat/completions", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal(message, error.GetProperty("message").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Empty(model.Calls);
    }

    [Fact]
    public async Task Tools_round_trip_declarations_in_calls_out_and_results_back()
    {
        var model = new ScriptedChatClient((messages, options) => messages[^1].Role == ChatRole.Tool
            ? new ChatResponse(new AIChatMessage(ChatRole.Assistant, "It is sunny: " + messages[^1].Contents.OfType<FunctionResultContent>().Single().Result))
            : new ChatResponse(new AIChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Oslo" })])));
        await using var app = await CompletionsApp.StartAsync(model);
        var chat = app.OpenAIChat();
        var weather = ChatTool.CreateFunctionTool("get_weather", "Weather of a city",
            BinaryData.FromString("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}"));
        var options = new ChatCompletionOptions { Tools = { weather } };
        List<OpenAI.Chat.ChatMessage> conversation = [new UserChatMessage("Weather in Oslo?")];

        ChatCompletion first = await chat.CompleteChatAsync(conversation, options);

        Assert.Equal(OpenAI.Chat.ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("Oslo", JsonDocument.Parse(call.FunctionArguments).RootElement.GetProperty("city").GetString());
        var declared = Assert.Single(model.Calls[0].Options!.Tools!);
        Assert.Equal("get_weather", declared.Name);

        conversation.Add(new AssistantChatMessage(first));
        conversation.Add(new ToolChatMessage(call.Id, "18 degrees"));
        ChatCompletion second = await chat.CompleteChatAsync(conversation, options);

        Assert.Equal("It is sunny: 18 degrees", second.Content[0].Text);
        var replayed = model.Calls[1].Messages;
        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.Tool], replayed.Select(m => m.Role));
        Assert.Equal("call_1", replayed[1].Contents.OfType<FunctionCallContent>().Single().CallId);

        var streamedCalls = new List<string>();
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Weather in Oslo?")], options))
        {
            streamedCalls.AddRange(update.ToolCallUpdates.Where(u => u.FunctionName is not null).Select(u => u.FunctionName));
        }

        Assert.Equal(["get_weather"], streamedCalls);
    }

    [Fact]
    public async Task Bad_request_surfaces_through_the_openai_client_as_a_400()
    {
        await using var app = await CompletionsApp.StartAsync(EchoModel());

        var error = await Assert.ThrowsAsync<ClientResultException>(() => app.OpenAIChat().CompleteChatAsync(
            [new UserChatMessage("x")], new ChatCompletionOptions { MaxOutputTokenCount = 999_999 }));

        Assert.Equal(400, error.Status);
        Assert.Contains("it must be between 1 and the server maximum 4096", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversize_prompt_gets_413_and_missing_model_gets_503()
    {
        await using (var app = await CompletionsApp.StartAsync(EchoModel(), settings: new Dictionary<string, string?> { ["ChatApp:Limits:MaxCompletionPromptChars"] = "10" }))
        {
            using var http = app.CreateClient();
            using var response = await http.PostAsync("v1/chat/completions", Json("{\"messages\":[{\"role\":\"user\",\"content\":\"01234567890\"}]}"));
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Contains("The messages have 11 characters; the server accepts at most 10.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await using (var app = await TestApp.StartAsync())
        {
            using var http = app.CreateClient();
            using var response = await http.PostAsync("v1/chat/completions", Json("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Contains("No model is configured; set ChatApp:Model", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Model_failure_is_a_500_with_an_error_id_and_the_models_list_names_the_model()
    {
        var failing = new ScriptedChatClient((_, _) => throw new InvalidOperationException("context overflow: 5000 tokens > 2048"));
        await using var app = await CompletionsApp.StartAsync(failing);
        using var http = app.CreateClient();

        using var response = await http.PostAsync("v1/chat/completions", Json("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"));
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.StartsWith("The model failed (error id err_", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("server_error", error.GetProperty("type").GetString());

        var models = JsonDocument.Parse(await http.GetStringAsync("v1/models")).RootElement;
        Assert.Equal("tiny-test", models.GetProperty("data")[0].GetProperty("id").GetString());
    }
}
