using Microsoft.Extensions.Time.Testing;

namespace Agents.LocalEngine.Tests.Chat;

[Collection(ModelCollection.Name)]
public sealed class LocalOnnxChatClientTests(ModelFixture models)
{
    private static readonly ChatOptions Greedy = new() { MaxOutputTokens = 12, AdditionalProperties = new() { ["do_sample"] = false, ["min_tokens"] = 12 } };

    [Fact]
    public async Task Response_has_text_exact_usage_finish_reason_and_metadata()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        using IChatClient client = new LocalOnnxChatClient(engine, clock);
        List<ChatMessage> messages = [new(ChatRole.System, "Be brief."), new(ChatRole.User, "Hello there")];
        var response = await client.GetResponseAsync(messages, Greedy);

        var prompt = engine.TokenizeChat(messages);
        var expected = await engine.GenerateAsync(prompt, new Agents.LocalEngine.Generation.LocalGenerationSettings { MaxTokens = 12, MinTokens = 12, DoSample = false });
        Assert.Equal(expected.Text, response.Text);
        Assert.Equal(ChatRole.Assistant, response.Messages.Single().Role);
        Assert.Equal(prompt.Count, response.Usage!.InputTokenCount);
        Assert.Equal(12, response.Usage.OutputTokenCount);
        Assert.Equal(prompt.Count + 12, response.Usage.TotalTokenCount);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(clock.GetUtcNow(), response.CreatedAt);
        Assert.StartsWith("qwen-optimum", response.ModelId, StringComparison.Ordinal);
        Assert.True(response.AdditionalProperties!.ContainsKey("prefill_ms"));
        Assert.Equal("local-onnx", client.GetService<ChatClientMetadata>()!.ProviderName);
        Assert.Same(engine, client.GetService<LocalOnnxEngine>());
        Assert.Equal(engine.ContextLength, client.GetService(typeof(int), "agents:context-window-tokens"));
        var count = Assert.IsType<Func<string, int>>(client.GetService(typeof(Func<string, int>), "agents:token-counter"));
        Assert.Equal(engine.Tokenize("The weather in Paris", addBos: false).Count, count("The weather in Paris"));
        Assert.Null(client.GetService(typeof(string), "agents:context-window-tokens"));
        Assert.Null(client.GetService(typeof(int), "other"));
    }

    [Fact]
    public async Task Streaming_gives_the_same_text_and_ends_with_usage_and_finish_reason()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        using IChatClient client = new LocalOnnxChatClient(engine);
        List<ChatMessage> messages = [new(ChatRole.User, "The weather in Paris")];
        var whole = await client.GetResponseAsync(messages, Greedy);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var u in client.GetStreamingResponseAsync(messages, Greedy))
        {
            updates.Add(u);
        }

        Assert.True(updates.Count > 2);
        Assert.Equal(whole.Text, string.Concat(updates.Select(u => u.Text)));
        var usage = Assert.IsType<UsageContent>(updates[^1].Contents.Single());
        Assert.Equal(whole.Usage!.InputTokenCount, usage.Details.InputTokenCount);
        Assert.Equal(12, usage.Details.OutputTokenCount);
        Assert.Equal(ChatFinishReason.Length, updates[^1].FinishReason);
        Assert.Single(updates.Select(u => u.ResponseId).Distinct());

        // The second turn extends the first: its prompt prefix comes from the KV cache.
        var response = updates.ToChatResponse();
        messages.AddRange(response.Messages);
        messages.Add(new ChatMessage(ChatRole.User, "And tomorrow?"));
        var second = await client.GetResponseAsync(messages, Greedy);
        Assert.True(second.Usage!.CachedInputTokenCount > 0);
    }

    [Fact]
    public async Task Sampling_options_are_applied_and_seeded()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        using IChatClient client = new LocalOnnxChatClient(engine);
        ChatOptions Options(long seed) => new() { MaxOutputTokens = 16, Temperature = 2f, TopK = 40, TopP = 0.9f, Seed = seed, AdditionalProperties = new() { ["min_tokens"] = 16, ["repetition_penalty"] = 1.2 } };
        List<ChatMessage> messages = [new(ChatRole.User, "hi")];
        var a = await client.GetResponseAsync(messages, Options(7));
        var b = await client.GetResponseAsync(messages, Options(7));
        var c = await client.GetResponseAsync(messages, Options(8));
        Assert.Equal(a.Text, b.Text);
        Assert.NotEqual(a.Text, c.Text);
    }

    [Fact]
    public async Task Invalid_options_and_inputs_are_rejected_naming_them()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        using IChatClient client = new LocalOnnxChatClient(engine);
        List<ChatMessage> messages = [new(ChatRole.User, "hi")];
        Assert.Equal("Temperature", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.GetResponseAsync(messages, new ChatOptions { Temperature = -1 }))).ParamName);
        Assert.Equal("TopP", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.GetResponseAsync(messages, new ChatOptions { TopP = 1.5f }))).ParamName);
        Assert.Equal("MaxTokens", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.GetResponseAsync(messages, new ChatOptions { MaxOutputTokens = 0 }))).ParamName);
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync([]));
        var huge = new string('x', 5000);
        var overflow = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync([new(ChatRole.User, huge)]));
        Assert.Contains("context length", overflow.Message, StringComparison.Ordinal);

        // Usable afterwards.
        Assert.NotNull((await client.GetResponseAsync(messages, Greedy)).Usage);
    }

    [Fact]
    public async Task A_user_formatter_replaces_the_built_in_template()
    {
        var formatter = new RecordingFormatter();
        using var engine = new LocalOnnxEngine(models.Qwen.Directory, new LocalOnnxEngineOptions { PromptFormatter = formatter });
        using IChatClient client = new LocalOnnxChatClient(engine);
        var tool = AIFunctionFactory.Create(() => "x", "tool_a");
        await client.GetResponseAsync([new(ChatRole.User, "hi")], new ChatOptions { MaxOutputTokens = 2, Tools = [tool] });
        Assert.Equal(1, formatter.Calls);
        Assert.Equal("tool_a", formatter.LastTools.Single().Name);
        await client.GetResponseAsync([new(ChatRole.User, "hi")], new ChatOptions { MaxOutputTokens = 2, Tools = [tool], ToolMode = ChatToolMode.None });
        Assert.Empty(formatter.LastTools);
    }

    [Fact]
    public async Task A_model_without_a_known_chat_format_asks_for_one()
    {
        var dir = models.NewDirectory("noformat");
        foreach (var file in Directory.GetFiles(models.Qwen.Directory, "*", SearchOption.AllDirectories))
        {
            var dest = Path.Combine(dir, Path.GetRelativePath(models.Qwen.Directory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            File.Copy(file, dest);
        }

        File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), "{}");
        var config = File.ReadAllText(Path.Combine(dir, "config.json")).Replace("\"qwen2\"", "\"gpt2\"", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(dir, "config.json"), config);
        TestModels.TestTokenizerWriter.Write(Path.Combine(dir, "tokenizer.json"), 512, ["<|endoftext|>"]);
        using var engine = new LocalOnnxEngine(dir);
        using IChatClient client = new LocalOnnxChatClient(engine);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync([new(ChatRole.User, "hi")]));
        Assert.Contains("TemplateFamily", ex.Message, StringComparison.Ordinal);
        using var forced = new LocalOnnxEngine(dir, new LocalOnnxEngineOptions { TemplateFamily = ChatTemplateFamily.Phi3 });
        Assert.IsType<Phi3Formatter>(forced.PromptFormatter);
    }

    private sealed class RecordingFormatter : IChatPromptFormatter
    {
        public int Calls { get; private set; }

        public IReadOnlyList<AIFunctionDeclaration> LastTools { get; private set; } = [];

        public string? EndOfTurnToken => "<|im_end|>";

        public string Format(IReadOnlyList<ChatMessage> messages, IReadOnlyList<AIFunctionDeclaration> tools)
        {
            Calls++;
            LastTools = tools;
            return "custom: " + messages[^1].Text;
        }
    }
}
