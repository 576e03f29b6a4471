using Json.Schema;

namespace Agents.LocalEngine.Tests.Constraints;

/// <summary>
/// Constrained decoding through <see cref="LocalOnnxChatClient"/> on random-weight models, the ideal adversary: sampled
/// freely they never write JSON; with the mask every seed must give JSON that parses and validates.
/// </summary>
[Collection(ModelCollection.Name)]
public sealed class ConstrainedChatTests(ModelFixture models)
{
    private const int Seeds = 20;

    private const string PersonSchema = """
        {
          "type": "object",
          "properties": {
            "name": { "type": "string" },
            "age": { "type": "integer" },
            "score": { "type": "number" },
            "tags": { "type": "array", "items": { "type": "string" } },
            "kind": { "enum": ["cat", "dog", 7] },
            "note": { "anyOf": [ { "type": "string" }, { "type": "null" } ] },
            "ok": { "type": "boolean" },
            "address": {
              "type": "object",
              "properties": { "city": { "type": "string" }, "zip": { "type": ["integer", "null"] } },
              "required": ["city", "zip"],
              "additionalProperties": false
            }
          },
          "required": ["name", "age", "kind", "address"],
          "additionalProperties": false
        }
        """;

    private static readonly List<ChatMessage> Question = [new(ChatRole.User, "Describe a person as JSON.")];

    private static ChatOptions Sampled(int seed, int maxTokens) => new()
    {
        Seed = seed,
        Temperature = 1f,
        MaxOutputTokens = maxTokens,
    };

    [Fact]
    public async Task Unconstrained_never_parses_but_every_seed_with_the_schema_parses_and_validates()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        using IChatClient client = new LocalOnnxChatClient(engine);
        using var schemaDoc = JsonDocument.Parse(PersonSchema);
        var validator = JsonSchema.FromText(PersonSchema);
        for (var seed = 1; seed <= Seeds; seed++)
        {
            var free = Sampled(seed, 80);
            free.AdditionalProperties = new() { ["min_tokens"] = 20 };
            var unconstrained = await client.GetResponseAsync(Question, free);
            Assert.False(Parses(unconstrained.Text), $"seed {seed}: the random model wrote JSON unconstrained: {unconstrained.Text}");

            var options = Sampled(seed, 120);
            options.ResponseFormat = ChatResponseFormat.ForJsonSchema(schemaDoc.RootElement.Clone(), "person");
            var response = await client.GetResponseAsync(Question, options);
            AssertValid(validator, response.Text, $"seed {seed}");
            Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        }
    }

    [Fact]
    public async Task Json_mode_gives_an_object_for_every_seed_and_streams_the_same_text()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        using IChatClient client = new LocalOnnxChatClient(engine);
        for (var seed = 1; seed <= Seeds; seed++)
        {
            var options = Sampled(seed, 60);
            options.ResponseFormat = ChatResponseFormat.Json;
            var response = await client.GetResponseAsync(Question, options);
            using var doc = JsonDocument.Parse(response.Text);
            Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);

            if (seed <= 3)
            {
                var streamed = new List<ChatResponseUpdate>();
                await foreach (var u in client.GetStreamingResponseAsync(Question, options))
                {
                    streamed.Add(u);
                }

                Assert.Equal(response.Text, string.Concat(streamed.Select(u => u.Text)));
            }
        }
    }

    [Theory]
    [InlineData(TestFamily.Phi3)]
    [InlineData(TestFamily.Llama3)]
    public async Task Other_tokenizers_and_formats_also_give_valid_json_for_every_seed(TestFamily family)
    {
        var model = TestModelFactory.Create(models.NewDirectory(family.ToString()), family: family);
        using var engine = new LocalOnnxEngine(model.Directory);
        using IChatClient client = new LocalOnnxChatClient(engine);
        using var schemaDoc = JsonDocument.Parse(PersonSchema);
        var validator = JsonSchema.FromText(PersonSchema);
        for (var seed = 1; seed <= 8; seed++)
        {
            var options = Sampled(seed, 120);
            options.ResponseFormat = ChatResponseFormat.ForJsonSchema(schemaDoc.RootElement.Clone());
            var response = await client.GetResponseAsync(Question, options);
            AssertValid(validator, response.Text, $"{family} seed {seed}");
        }
    }

    [Fact]
    public async Task Several_sequences_from_one_prefill_each_follow_the_schema()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        using var schemaDoc = JsonDocument.Parse(PersonSchema);
        var validator = JsonSchema.FromText(PersonSchema);
        var settings = new Agents.LocalEngine.Generation.LocalGenerationSettings
        {
            MaxTokens = 120,
            Temperature = 1f,
            Seed = 5,
            Constraint = Agents.LocalEngine.Constraints.JsonConstraintSpec.Json(schemaDoc.RootElement.Clone()),
        };
        var results = await engine.GenerateManyAsync(engine.TokenizeChat(Question), 4, settings);
        Assert.Equal(4, results.Count);
        foreach (var r in results)
        {
            AssertValid(validator, r.Text, "row");
        }

        Assert.True(results.Select(r => r.Text).Distinct().Count() > 1);
    }

    [Fact]
    public async Task A_budget_below_the_smallest_value_is_cut_off_with_finish_reason_length()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        using IChatClient client = new LocalOnnxChatClient(engine);
        using var schemaDoc = JsonDocument.Parse(PersonSchema);
        var options = Sampled(3, 4);
        options.ResponseFormat = ChatResponseFormat.ForJsonSchema(schemaDoc.RootElement.Clone());
        var response = await client.GetResponseAsync(Question, options);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.False(Parses(response.Text));
        Assert.StartsWith("{", response.Text.TrimStart(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tight_budget_still_closes_the_json_in_time()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        using IChatClient client = new LocalOnnxChatClient(engine);
        var validator = JsonSchema.FromText(PersonSchema);
        using var schemaDoc = JsonDocument.Parse(PersonSchema);

        // The shortest valid text is 55 bytes; 60 tokens leave little room for anything else.
        for (var seed = 1; seed <= 5; seed++)
        {
            var options = Sampled(seed, 60);
            options.ResponseFormat = ChatResponseFormat.ForJsonSchema(schemaDoc.RootElement.Clone());
            var response = await client.GetResponseAsync(Question, options);
            AssertValid(validator, response.Text, $"seed {seed}");
            Assert.True(response.Usage!.OutputTokenCount <= 60);
        }
    }

    [Fact]
    public async Task Unsupported_schema_keyword_throws_naming_it()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        using IChatClient client = new LocalOnnxChatClient(engine);
        using var schemaDoc = JsonDocument.Parse("""{"type":"object","properties":{"a":{"type":"string","pattern":"^x"}}}""");
        var options = new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schemaDoc.RootElement.Clone()) };
        var ex = await Assert.ThrowsAsync<NotSupportedException>(() => client.GetResponseAsync(Question, options));
        Assert.Contains("'pattern'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Require_specific_gives_a_call_to_that_tool_with_schema_valid_arguments()
    {
        using var engine = new LocalOnnxEngine(models.LongContext.Directory);
        using IChatClient client = new LocalOnnxChatClient(engine);
        var weather = AIFunctionFactory.Create((string city, int days, bool metric) => $"{city} {days} {metric}", "get_weather", "Gets the weather.");
        var search = AIFunctionFactory.Create((string query) => query, "search", "Searches.");
        var validator = JsonSchema.FromText(weather.JsonSchema.GetRawText());
        List<ChatMessage> messages = [new(ChatRole.User, "Weather in Paris?")];
        for (var seed = 1; seed <= 10; seed++)
        {
            var options = Sampled(seed, 100);
            options.Tools = [search, weather];
            options.ToolMode = ChatToolMode.RequireSpecific("get_weather");
            var response = await client.GetResponseAsync(messages, options);
            var call = Assert.Single(response.Messages.Single().Contents.OfType<FunctionCallContent>());
            Assert.Null(call.Exception);
            Assert.Equal("get_weather", call.Name);
            Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
            var args = JsonSerializer.SerializeToElement(call.Arguments);
            Assert.True(validator.Evaluate(args).IsValid, $"seed {seed}: {args.GetRawText()}");
        }
    }

    [Fact]
    public async Task Require_any_gives_a_call_to_one_of_the_tools_and_unknown_names_are_refused()
    {
        using var engine = new LocalOnnxEngine(models.LongContext.Directory);
        using IChatClient client = new LocalOnnxChatClient(engine);
        var weather = AIFunctionFactory.Create((string city) => city, "get_weather", "Gets the weather.");
        var search = AIFunctionFactory.Create((string query, int limit) => query, "search", "Searches.");
        List<ChatMessage> messages = [new(ChatRole.User, "Weather in Paris?")];
        for (var seed = 1; seed <= 6; seed++)
        {
            var options = Sampled(seed, 100);
            options.Tools = [weather, search];
            options.ToolMode = ChatToolMode.RequireAny;
            var response = await client.GetResponseAsync(messages, options);
            var call = Assert.Single(response.Messages.Single().Contents.OfType<FunctionCallContent>());
            Assert.Null(call.Exception);
            var tool = call.Name == "get_weather" ? weather : search;
            Assert.Contains(call.Name, new[] { "get_weather", "search" });
            Assert.True(JsonSchema.FromText(tool.JsonSchema.GetRawText()).Evaluate(JsonSerializer.SerializeToElement(call.Arguments)).IsValid);
        }

        var wrong = new ChatOptions { Tools = [weather], ToolMode = ChatToolMode.RequireSpecific("nope") };
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync(messages, wrong));
        Assert.Contains("'nope'", ex.Message, StringComparison.Ordinal);
    }

    private static bool Parses(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void AssertValid(JsonSchema validator, string text, string what)
    {
        Assert.True(Parses(text), $"{what}: not JSON: {text}");
        using var doc = JsonDocument.Parse(text);
        Assert.True(validator.Evaluate(doc.RootElement).IsValid, $"{what}: not valid against the schema: {text}");
    }
}
