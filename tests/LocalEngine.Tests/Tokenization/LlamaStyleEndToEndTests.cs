namespace Agents.LocalEngine.Tests.Tokenization;

/// <summary>
/// Phi-3 and Llama-2 style model folders with the Llama-2 style tokenizer.json (and the same vocabulary as tokenizer.model): a
/// scripted test model (logits chosen per position) replies with a text that needs merges, byte fallback and the
/// dummy-prefix strip; streamed and whole texts must be that reply.
/// </summary>
[Collection(ModelCollection.Name)]
public sealed class LlamaStyleEndToEndTests(ModelFixture models)
{
    private const string Reply = "Hello world, café 日本 🦊 the lazy dog";

    private static readonly List<ChatMessage> Question = [new(ChatRole.User, "say hi to the world")];

    /// <summary>Builds the scripted folder; returns it with the prompt and the reply's tokens (without end of turn).</summary>
    private (string Dir, IReadOnlyList<int> Prompt, IReadOnlyList<int> Reply, int End) Build(TestFamily family)
    {
        var probe = models.NewDirectory("llama-style-probe");
        TestModelFactory.Create(probe, family: family);
        IReadOnlyList<int> prompt, reply;
        int end;
        using (var engine = new LocalOnnxEngine(probe))
        {
            prompt = engine.TokenizeChat(Question);
            reply = engine.Tokenize(Reply, addBos: false);
            end = engine.Tokenize(family == TestFamily.Phi3 ? "<|end|>" : "</s>", addBos: false).Single();
        }

        var spec = new TinyLlamaSpec();
        var table = new float[spec.MaxPositions * spec.VocabSize];
        var row = prompt.Count - 1;
        foreach (var token in reply.Append(end))
        {
            table[(row++ * spec.VocabSize) + token] = 50f;
        }

        for (; row < spec.MaxPositions; row++)
        {
            table[(row * spec.VocabSize) + end] = 50f;
        }

        var dir = models.NewDirectory("llama-style-scripted");
        TestModelFactory.Create(dir, family: family, spec: spec, positionLogits: table);
        return (dir, prompt, reply, end);
    }

    [Theory]
    [InlineData(TestFamily.Phi3)]
    [InlineData(TestFamily.Llama2)]
    public async Task A_llama_style_model_generates_and_streams_the_same_text(TestFamily family)
    {
        var (dir, prompt, reply, end) = Build(family);
        using var engine = new LocalOnnxEngine(dir);
        Assert.IsType(family == TestFamily.Phi3 ? typeof(Phi3Formatter) : typeof(Llama2Formatter), engine.PromptFormatter);
        Assert.Equal(engine.Tokenize("<s>", addBos: false).Single(), prompt[0]);
        Assert.Contains(end, engine.EndOfSequenceTokenIds);

        // The reply needs byte fallback (é, 日本, 🦊) and starts with the dummy-prefix "▁Hello".
        Assert.True(reply.Count > 12);
        Assert.Equal(Reply, engine.Detokenize(reply));

        var result = await engine.GenerateAsync(prompt, new LocalGenerationSettings { MaxTokens = 64, DoSample = false });
        Assert.Equal([.. reply, end], result.TokenIds);
        Assert.Equal(LocalFinishReason.Stop, result.FinishReason);
        Assert.Equal(Reply, result.Text);

        var streamed = new List<string>();
        LocalGenerationResult? final = null;
        await foreach (var update in engine.GenerateStreamingAsync(prompt, new LocalGenerationSettings { MaxTokens = 64, DoSample = false }))
        {
            if (update.Result is not null)
            {
                final = update.Result;
                continue;
            }

            streamed.Add(update.Text);
        }

        Assert.All(streamed, s => Assert.DoesNotContain('\uFFFD', s));
        Assert.Equal(Reply, string.Concat(streamed));
        Assert.Equal(Reply, final!.Text);

        using var client = new LocalOnnxChatClient(engine);
        var response = await client.GetResponseAsync(Question);
        Assert.Equal(Reply, response.Text);
        var chatStream = new List<string>();
        await foreach (var update in client.GetStreamingResponseAsync(Question))
        {
            chatStream.Add(update.Text);
        }

        Assert.Equal(Reply, string.Concat(chatStream));
    }

    [Fact]
    public async Task A_folder_with_only_tokenizer_model_loads_and_decodes_the_same()
    {
        var (dir, prompt, reply, end) = Build(TestFamily.Phi3);
        File.Delete(Path.Combine(dir, "tokenizer.json"));
        SentencePieceModelWriter.Write(Path.Combine(dir, "tokenizer.model"));
        var configPath = Path.Combine(dir, "tokenizer_config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!;
        config["added_tokens_decoder"] = LlamaStyleFixtures.AddedTokensDecoder();
        File.WriteAllText(configPath, config.ToJsonString());

        using var engine = new LocalOnnxEngine(dir);
        Assert.Equal(Path.Combine(dir, "tokenizer.model"), engine.Descriptor.TokenizerPath);
        Assert.Equal(reply, engine.Tokenize(Reply, addBos: false));
        Assert.Equal(prompt[0], engine.Tokenize(Reply)[0]);
        Assert.Contains(end, engine.EndOfSequenceTokenIds);

        var result = await engine.GenerateAsync(prompt, new LocalGenerationSettings { MaxTokens = 64, DoSample = false });
        Assert.Equal([.. reply, end], result.TokenIds);
        Assert.Equal(Reply, result.Text);
    }
}
