namespace Agents.LocalEngine.Tests.Chat;

/// <summary>
/// Tool calling through the real engine: a scripted test model (logits chosen per position) replies with a tool call,
/// M.E.AI's function-invoking client runs the tool, and the model's second reply uses the result.
/// </summary>
[Collection(ModelCollection.Name)]
public sealed class ToolCallingEndToEndTests(ModelFixture models)
{
    private const string Question = "What is the weather in Paris?";
    private const string Answer = "It is sunny in Paris.";
    private const int Positions = 1024;

    private sealed class Script(int positions, int vocab)
    {
        public float[] Table { get; } = new float[positions * vocab];

        /// <summary>The reply to a prompt of <paramref name="promptLength"/> tokens: token i comes from position promptLength - 1 + i.</summary>
        public void Reply(int promptLength, IEnumerable<int> tokens)
        {
            var row = promptLength - 1;
            foreach (var t in tokens)
            {
                Table[(row++ * vocab) + t] = 50f;
            }
        }

        public void FillFrom(int position, int token)
        {
            for (var row = position; row < positions; row++)
            {
                if (Table.AsSpan(row * vocab, vocab).IndexOfAnyExcept(0f) < 0)
                {
                    Table[(row * vocab) + token] = 50f;
                }
            }
        }
    }

    private (string Dir, List<string> Calls, AIFunction Tool) Build(string callText, bool wellFormed)
    {
        var calls = new List<string>();
        var tool = AIFunctionFactory.Create((string city) =>
        {
            calls.Add(city);
            return $"sunny in {city}";
        }, "get_weather", "Gets the weather for a city.");
        using var reference = new LocalOnnxEngine(models.Qwen.Directory);
        var imEnd = models.Qwen.Vocab["<|im_end|>"];
        var script = new Script(Positions, 512);
        List<ChatMessage> round1 = [new(ChatRole.User, Question)];
        var p1 = reference.TokenizeChat(round1, [tool]).Count;
        script.Reply(p1, [.. reference.Tokenize(callText, addBos: false), imEnd]);
        if (wellFormed)
        {
            List<ChatMessage> round2 =
            [
                .. round1,
                new(ChatRole.Assistant, [new FunctionCallContent("any", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" })]),
                new(ChatRole.Tool, [new FunctionResultContent("any", "sunny in Paris")]),
            ];
            script.Reply(reference.TokenizeChat(round2, [tool]).Count, [.. reference.Tokenize(Answer, addBos: false), imEnd]);
        }
        else
        {
            script.FillFrom(p1 + 40, imEnd);
        }

        var dir = models.NewDirectory("scripted");
        TestModelFactory.Create(dir, spec: new TinyLlamaSpec { MaxPositions = Positions }, positionLogits: script.Table);
        return (dir, calls, tool);
    }

    [Fact]
    public async Task The_model_calls_a_tool_and_answers_with_its_result()
    {
        var (dir, calls, tool) = Build("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>", wellFormed: true);
        using var engine = new LocalOnnxEngine(dir);

        // Without function invocation the reply is the call itself.
        using var plain = new LocalOnnxChatClient(engine);
        var first = await plain.GetResponseAsync([new ChatMessage(ChatRole.User, Question)], new ChatOptions { Tools = [tool] });
        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.IsType<FunctionCallContent>(Assert.Single(first.Messages.Single().Contents));
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("Paris", call.Arguments!["city"]!.ToString());

        using var client = new ChatClientBuilder(new LocalOnnxChatClient(engine)).UseFunctionInvocation().Build();
        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, Question)], new ChatOptions { Tools = [tool] });
        Assert.Equal(["Paris"], calls);
        Assert.Equal(Answer, response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal([ChatRole.Assistant, ChatRole.Tool, ChatRole.Assistant], response.Messages.Select(m => m.Role));
        Assert.True(response.Usage!.CachedInputTokenCount > 0, "the second round reuses the first round's KV cache");
    }

    [Fact]
    public async Task Streaming_tool_calls_hide_the_call_text_and_run_the_tool()
    {
        var (dir, calls, tool) = Build("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>", wellFormed: true);
        using var engine = new LocalOnnxEngine(dir);
        using var client = new ChatClientBuilder(new LocalOnnxChatClient(engine)).UseFunctionInvocation().Build();
        var updates = new List<ChatResponseUpdate>();
        await foreach (var u in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, Question)], new ChatOptions { Tools = [tool] }))
        {
            updates.Add(u);
        }

        Assert.Equal(["Paris"], calls);
        Assert.DoesNotContain(updates, u => u.Text.Contains("tool_call", StringComparison.Ordinal));
        Assert.EndsWith(Answer, string.Concat(updates.Select(u => u.Text)), StringComparison.Ordinal);
        Assert.Contains(updates, u => u.Contents.OfType<FunctionCallContent>().Any());
        Assert.Equal(2, updates.SelectMany(u => u.Contents).OfType<UsageContent>().Count());
    }

    [Fact]
    public async Task Malformed_tool_json_becomes_an_error_result_not_a_crash()
    {
        var (dir, calls, tool) = Build("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \n</tool_call>", wellFormed: false);
        using var engine = new LocalOnnxEngine(dir);
        using var client = new ChatClientBuilder(new LocalOnnxChatClient(engine)).UseFunctionInvocation().Build();
        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, Question)], new ChatOptions { Tools = [tool] });
        Assert.Empty(calls);
        var call = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Single();
        Assert.NotNull(call.Exception);
        var result = response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Single();
        Assert.Equal(call.CallId, result.CallId);
        Assert.Equal(ChatRole.Assistant, response.Messages[^1].Role);

        // The engine is still usable.
        Assert.NotNull((await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")])).Usage);
    }
}
