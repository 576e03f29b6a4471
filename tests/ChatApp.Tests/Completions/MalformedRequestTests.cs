using System.ClientModel;
using OpenAI.Chat;

namespace Agents.Samples.ChatApp.Tests.Completions;

/// <summary>
/// Every malformed <c>/v1/chat/completions</c> request gets a 400 in OpenAI's error shape naming the parameter,
/// never a 500 and never a silently ignored field; the model is not called.
/// </summary>
public sealed class MalformedRequestTests
{
    private const string User = "{\"role\":\"user\",\"content\":\"x\"}";
    private const string Tool = "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\",\"properties\":{}}}}";

    /// <summary>Top-level fields and the JSON kinds they may have; every other kind must be a 400 naming the field.</summary>
    private static readonly (string Field, JsonValueKind[] Valid)[] TopLevelFields =
    [
        ("model", [JsonValueKind.String]),
        ("n", [JsonValueKind.Number]),
        ("max_tokens", [JsonValueKind.Number]),
        ("max_completion_tokens", [JsonValueKind.Number]),
        ("temperature", [JsonValueKind.Number]),
        ("top_p", [JsonValueKind.Number]),
        ("frequency_penalty", [JsonValueKind.Number]),
        ("presence_penalty", [JsonValueKind.Number]),
        ("seed", [JsonValueKind.Number]),
        ("stop", [JsonValueKind.String, JsonValueKind.Array]),
        ("stream", [JsonValueKind.True, JsonValueKind.False]),
        ("stream_options", [JsonValueKind.Object]),
        ("tools", [JsonValueKind.Array]),
        ("parallel_tool_calls", [JsonValueKind.True, JsonValueKind.False]),
        ("logprobs", [JsonValueKind.True, JsonValueKind.False]),
        ("top_logprobs", [JsonValueKind.Number]),
        ("user", [JsonValueKind.String]),
        ("response_format", [JsonValueKind.Object]),
        ("logit_bias", [JsonValueKind.Object]),
        ("metadata", [JsonValueKind.Object]),
        ("store", [JsonValueKind.True, JsonValueKind.False]),
        ("service_tier", [JsonValueKind.String]),
        ("reasoning_effort", [JsonValueKind.String]),
        ("modalities", [JsonValueKind.Array]),
    ];

    private static readonly (string Json, JsonValueKind Kind)[] Values =
    [
        ("\"1\"", JsonValueKind.String),
        ("1", JsonValueKind.Number),
        ("true", JsonValueKind.True),
        ("[1]", JsonValueKind.Array),
        ("{\"a\":1}", JsonValueKind.Object),
    ];

    /// <summary>Nested and cross-field cases: the body and the parameter the error must name.</summary>
    private static readonly (string Body, string Param)[] Cases =
    [
        ($"{{\"messages\":[{User}],\"n\":\"1\"}}", "n"),
        ($"{{\"messages\":[{User}],\"n\":1.5}}", "n"),
        ($"{{\"messages\":[{User}],\"tools\":[{Tool}],\"tool_choice\":{{\"type\":\"function\",\"function\":5}}}}", "tool_choice.function"),
        ($"{{\"messages\":[{User}],\"tools\":[{Tool}],\"tool_choice\":{{\"type\":\"function\",\"function\":\"get_weather\"}}}}", "tool_choice.function"),
        ($"{{\"messages\":[{User}],\"tools\":[{Tool}],\"tool_choice\":{{\"type\":\"function\",\"function\":[\"get_weather\"]}}}}", "tool_choice.function"),
        ($"{{\"messages\":[{User}],\"tools\":[{Tool}],\"tool_choice\":{{\"type\":\"function\",\"function\":{{\"name\":7}}}}}}", "tool_choice.function.name"),
        ($"{{\"messages\":[{User}],\"tools\":[{Tool}],\"tool_choice\":{{\"type\":\"function\",\"function\":{{\"name\":\"other\"}}}}}}", "tool_choice.function.name"),
        ($"{{\"messages\":[{User}],\"tools\":[{Tool}],\"tool_choice\":{{\"type\":3,\"function\":{{\"name\":\"get_weather\"}}}}}}", "tool_choice.type"),
        ($"{{\"messages\":[{User}],\"tools\":[{Tool}],\"tool_choice\":5}}", "tool_choice"),
        ($"{{\"messages\":[{User}],\"tools\":[{Tool}],\"tool_choice\":\"sometimes\"}}", "tool_choice"),
        ($"{{\"messages\":[{User}],\"tool_choice\":\"auto\"}}", "tool_choice"),
        ($"{{\"messages\":[{User}],\"tools\":[],\"tool_choice\":{{\"type\":\"function\",\"function\":{{\"name\":\"get_weather\"}}}}}}", "tool_choice"),
        ($"{{\"messages\":[{User}],\"stream_options\":\"include_usage\"}}", "stream_options"),
        ($"{{\"messages\":[{User}],\"stream\":true,\"stream_options\":{{\"include_usage\":\"yes\"}}}}", "stream_options.include_usage"),
        ($"{{\"messages\":[{User}],\"stop\":[\"a\",5]}}", "stop"),
        ($"{{\"messages\":[{User}],\"max_completion_tokens\":1.5}}", "max_completion_tokens"),
        ($"{{\"messages\":[{User}],\"tools\":[{{\"type\":\"function\",\"function\":{{\"name\":\"f\",\"parameters\":\"none\"}}}}]}}", "tools[0].function.parameters"),
        ($"{{\"messages\":[{User}],\"tools\":[{{\"type\":\"function\",\"function\":{{\"name\":\"f\",\"description\":5}}}}]}}", "tools[0].function.description"),
        ($"{{\"messages\":[{User}],\"tools\":[{{\"type\":\"function\",\"function\":{{\"name\":\"f\",\"strict\":\"yes\"}}}}]}}", "tools[0].function.strict"),
        ($"{{\"messages\":[{User}],\"tools\":[{{\"type\":5,\"function\":{{\"name\":\"f\"}}}}]}}", "tools[0]"),
        ("{\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"name\":5}]}", "messages[0].name"),
        ("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":5,\"text\":\"x\"}]}]}", "messages[0].content"),
        ("{\"messages\":[{\"role\":5,\"content\":\"x\"}]}", "messages[0].role"),
        ("{\"messages\":[{\"role\":\"user\",\"content\":5}]}", "messages[0].content"),
        ("{\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"tool_calls\":[]}]}", "messages[0].tool_calls"),
        ("{\"messages\":[{\"role\":\"assistant\",\"content\":null,\"tool_calls\":\"call\"}]}", "messages[0].tool_calls"),
        ("{\"messages\":[{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":5}}]}]}", "messages[0].tool_calls[0].function.arguments"),
        ("{\"messages\":[{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":{\"city\":\"Oslo\"}}}]}]}", "messages[0].tool_calls[0].function.arguments"),
        ("{\"messages\":[{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"[1]\"}}]}]}", "messages[0].tool_calls[0].function.arguments"),
        ("{\"messages\":[{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":7,\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}]}", "messages[0].tool_calls[0].type"),
        ("{\"messages\":[{\"role\":\"tool\",\"tool_call_id\":5,\"content\":\"x\"}]}", "messages[0].tool_call_id"),
        ("{\"messages\":[{\"role\":\"user\",\"content\":\"\\ud800 lone surrogate\"}]}", "messages[0].content"),
    ];

    [Fact]
    public async Task Every_wrong_typed_or_malformed_field_is_a_400_in_openai_shape_naming_it()
    {
        var model = Echo();
        await using var app = await CompletionsApp.StartAsync(model);
        using var http = app.CreateClient();
        var failures = new List<string>();

        var requests = new List<(string Body, string Param)>(Cases);
        foreach (var (field, valid) in TopLevelFields)
        {
            foreach (var (json, kind) in Values.Where(v => !valid.Contains(v.Kind)))
            {
                requests.Add(($"{{\"messages\":[{User}],\"{field}\":{json}}}", field));
            }
        }

        foreach (var (body, param) in requests)
        {
            if (await CheckAsync(http, Encoding.UTF8.GetBytes(body), param) is { } failure)
            {
                failures.Add($"{body}\n  -> {failure}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {requests.Count} malformed requests were not refused properly:\n" + string.Join("\n", failures));
        Assert.Empty(model.Calls);
    }

    [Theory]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"bad \u00ff byte\"}]}", "messages[0].content")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"bad \u00ff\"}]}]}", "messages[0].content[0].text")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stop\":\"\u00ff\"}", "stop")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"model\":\"m\u00ff\"}", "model")]
    public async Task Invalid_utf8_inside_a_json_string_is_a_400_naming_the_field(string template, string param)
    {
        // U+00FF marks where a lone 0xFF byte (never valid in UTF-8) goes.
        var bytes = Encoding.UTF8.GetBytes(template.Replace("\u00ff", "\u0001", StringComparison.Ordinal));
        bytes[Array.IndexOf(bytes, (byte)1)] = 0xFF;
        var model = Echo();
        await using var app = await CompletionsApp.StartAsync(model);
        using var http = app.CreateClient();

        Assert.Null(await CheckAsync(http, bytes, param));
        Assert.Empty(model.Calls);
    }

    [Fact]
    public async Task The_openai_client_gets_a_400_for_a_tool_choice_without_tools_or_naming_an_undeclared_tool()
    {
        var model = Echo();
        await using var app = await CompletionsApp.StartAsync(model);
        var chat = app.OpenAIChat();

        var withoutTools = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync(
            [new UserChatMessage("x")], new ChatCompletionOptions { ToolChoice = ChatToolChoice.CreateRequiredChoice() }));
        Assert.Equal(400, withoutTools.Status);
        Assert.Contains("'tool_choice' is only allowed when 'tools' declares at least one function.", withoutTools.Message, StringComparison.Ordinal);

        var weather = ChatTool.CreateFunctionTool("get_weather", "Weather of a city", BinaryData.FromString("{\"type\":\"object\",\"properties\":{}}"));
        var undeclared = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync(
            [new UserChatMessage("x")], new ChatCompletionOptions { Tools = { weather }, ToolChoice = ChatToolChoice.CreateFunctionChoice("delete_everything") }));
        Assert.Equal(400, undeclared.Status);
        Assert.Contains("'tool_choice.function.name' is 'delete_everything', which 'tools' does not declare.", undeclared.Message, StringComparison.Ordinal);
        Assert.Empty(model.Calls);
    }

    /// <summary>Returns <see langword="null"/> when the answer is a 400 in OpenAI's shape naming <paramref name="param"/>, else what is wrong.</summary>
    private static async Task<string?> CheckAsync(HttpClient http, byte[] body, string param)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync("v1/chat/completions", content);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.BadRequest)
        {
            return $"{(int)response.StatusCode}: {text}";
        }

        try
        {
            var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
            if (error.GetProperty("type").GetString() != "invalid_request_error" || error.GetProperty("param").GetString() != param
                || !error.TryGetProperty("code", out _) || !error.GetProperty("message").GetString()!.Contains(param, StringComparison.Ordinal))
            {
                return "wrong error: " + text;
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "not OpenAI's error shape: " + text;
        }

        return null;
    }

    private static ScriptedChatClient Echo() => new((messages, _) => new ChatResponse(new Microsoft.Extensions.AI.ChatMessage(ChatRole.Assistant, "ok")));
}
