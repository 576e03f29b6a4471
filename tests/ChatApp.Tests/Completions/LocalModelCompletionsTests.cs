using Agents.LocalEngine;
using Agents.LocalEngine.Tests.TestModels;
using OpenAI.Chat;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AIChatRole = Microsoft.Extensions.AI.ChatRole;

namespace Agents.Samples.ChatApp.Tests.Completions;

/// <summary>
/// <c>/v1/chat/completions</c> over the REAL local engine: the app loads a tiny random-weight ONNX model (built
/// by the LocalEngine tests' model builder) from <c>ChatApp:Model</c>, and the OpenAI .NET client talks to it.
/// </summary>
public sealed class LocalModelCompletionsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "agents-chatapp-onnx", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task OpenAI_client_gets_greedy_completions_with_exact_usage_streaming_and_not()
    {
        var model = TestModelFactory.Create(Path.Combine(_root, "qwen"));
        var (docs, workspace) = McpServerProcess.CreateFolders();
        await using var app = await TestApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["ChatApp:Model:Provider"] = "onnx",
            ["ChatApp:Model:Path"] = model.Directory,
            ["ChatApp:Model:ModelId"] = "tiny-qwen",
            ["ChatApp:Research:DocumentsFolder"] = docs,
            ["ChatApp:Research:WorkspaceRoot"] = workspace,
        });
        var chat = app.OpenAIChat(modelId: "tiny-qwen");
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 6, Temperature = 0 };
        List<OpenAI.Chat.ChatMessage> messages = [new SystemChatMessage("Be brief."), new UserChatMessage("Hello there")];

        ChatCompletion completion = await chat.CompleteChatAsync(messages, options);

        int expectedPrompt;
        using (var engine = new LocalOnnxEngine(model.Directory))
        {
            expectedPrompt = engine.TokenizeChat([new AIChatMessage(AIChatRole.System, "Be brief."), new AIChatMessage(AIChatRole.User, "Hello there")]).Count;
        }

        Assert.Equal("tiny-qwen", completion.Model);
        Assert.Equal(expectedPrompt, completion.Usage.InputTokenCount);
        Assert.InRange(completion.Usage.OutputTokenCount, 1, 6);
        Assert.Contains(completion.FinishReason, new[] { OpenAI.Chat.ChatFinishReason.Length, OpenAI.Chat.ChatFinishReason.Stop });

        var streamed = new List<string>();
        ChatTokenUsage? usage = null;
        await foreach (var update in chat.CompleteChatStreamingAsync(messages, options))
        {
            streamed.AddRange(update.ContentUpdate.Select(p => p.Text));
            usage ??= update.Usage;
        }

        Assert.Equal(completion.Content.Count == 0 ? string.Empty : completion.Content[0].Text, string.Concat(streamed));
        Assert.Equal(expectedPrompt, usage?.InputTokenCount);
        Assert.Equal(completion.Usage.OutputTokenCount, usage?.OutputTokenCount);
    }

    [Fact]
    public void Broken_model_folder_fails_at_start_naming_the_file()
    {
        var broken = Path.Combine(_root, "broken");
        Directory.CreateDirectory(broken);
        File.WriteAllText(Path.Combine(broken, "config.json"), "{ not json");

        var error = Assert.ThrowsAny<Exception>(() => Samples.ChatApp.Hosting.ChatAppHost.Build(
            ["--ChatApp:Urls=http://127.0.0.1:0", "--ChatApp:Model:Provider=onnx", $"--ChatApp:Model:Path={broken}"]));

        Assert.Contains("config.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_model_folder_and_unknown_provider_fail_at_start_naming_the_option()
    {
        var missing = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => Samples.ChatApp.Hosting.ChatAppHost.Build(
            ["--ChatApp:Urls=http://127.0.0.1:0", "--ChatApp:Model:Provider=onnx", "--ChatApp:Model:Path=/nonexistent/model"]));
        Assert.Contains("ChatApp:Model:Path '/nonexistent/model' is not a folder", missing.Message, StringComparison.Ordinal);

        var unknown = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => Samples.ChatApp.Hosting.ChatAppHost.Build(
            ["--ChatApp:Urls=http://127.0.0.1:0", "--ChatApp:Model:Provider=llamacpp"]));
        Assert.Contains("ChatApp:Model:Provider 'llamacpp' is unknown", unknown.Message, StringComparison.Ordinal);

        var noResearch = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => Samples.ChatApp.Hosting.ChatAppHost.Build(
            ["--ChatApp:Urls=http://127.0.0.1:0", "--ChatApp:Model:Provider=openai", "--ChatApp:Model:Endpoint=http://127.0.0.1:1/v1", "--ChatApp:Model:ModelId=m"]));
        Assert.Contains("ChatApp:Research:DocumentsFolder", noResearch.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
