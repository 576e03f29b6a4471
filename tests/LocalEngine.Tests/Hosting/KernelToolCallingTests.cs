using System.ComponentModel;
using Agents.LocalEngine.Hosting;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using MeaiFunctionCallContent = Microsoft.Extensions.AI.FunctionCallContent;
using MeaiFunctionResultContent = Microsoft.Extensions.AI.FunctionResultContent;

namespace Agents.LocalEngine.Tests.Hosting;

/// <summary>Semantic Kernel auto function invocation against a scripted test model.</summary>
[Collection(ModelCollection.Name)]
public sealed class KernelToolCallingTests(ModelFixture models)
{
    private const int Positions = 1024;

    public sealed class WeatherPlugin
    {
        public List<string> Calls { get; } = [];

        [KernelFunction("get_weather"), Description("Gets the weather for a city.")]
        public string GetWeather(string city)
        {
            Calls.Add(city);
            return $"sunny in {city}";
        }
    }

    private sealed class RecordingFormatter : IChatPromptFormatter
    {
        private readonly ChatMlFormatter _inner = new();

        public List<(List<ChatMessage> Messages, List<AIFunctionDeclaration> Tools)> Requests { get; } = [];

        public string? EndOfTurnToken => _inner.EndOfTurnToken;

        public string Format(IReadOnlyList<ChatMessage> messages, IReadOnlyList<AIFunctionDeclaration> tools)
        {
            Requests.Add(([.. messages], [.. tools]));
            return _inner.Format(messages, tools);
        }
    }

    private static async Task<(ChatMessageContent Reply, WeatherPlugin Plugin, ChatHistory History)> AskAsync(string dir, Action<LocalOnnxEngineOptions>? configure = null)
    {
        var builder = Kernel.CreateBuilder();
        builder.AddLocalOnnxChatCompletion(dir, configure);
        var plugin = new WeatherPlugin();
        builder.Plugins.AddFromObject(plugin, "Weather");
        var kernel = builder.Build();
        var history = new ChatHistory();
        history.AddUserMessage("What is the weather in Paris?");
        var settings = new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
        var reply = await kernel.GetRequiredService<IChatCompletionService>().GetChatMessageContentAsync(history, settings, kernel);
        return (reply, plugin, history);
    }

    [Fact]
    public async Task Kernel_functions_are_offered_called_and_their_results_answered()
    {
        // 1. Learn the exact prompt SK sends (tool names and schemas) with the random model, which calls no tool.
        var recorder = new RecordingFormatter();
        var randomDir = models.NewDirectory("sk-random");
        TestModelFactory.Create(randomDir, spec: new TinyLlamaSpec { MaxPositions = Positions });
        await AskAsync(randomDir, o => o.PromptFormatter = recorder);
        var (messages, tools) = recorder.Requests[0];
        var name = Assert.Single(tools).Name;
        Assert.Contains("get_weather", name, StringComparison.Ordinal);

        // 2. Script a model that calls the tool, then answers with the result.
        using var reference = new LocalOnnxEngine(models.Qwen.Directory);
        var imEnd = models.Qwen.Vocab["<|im_end|>"];
        var table = new float[Positions * 512];
        void Reply(int promptLength, IEnumerable<int> tokens)
        {
            var row = promptLength - 1;
            foreach (var t in tokens)
            {
                table[(row++ * 512) + t] = 50f;
            }
        }

        Reply(reference.TokenizeChat(messages, tools).Count,
            [.. reference.Tokenize($"<tool_call>\n{{\"name\": \"{name}\", \"arguments\": {{\"city\": \"Paris\"}}}}\n</tool_call>", addBos: false), imEnd]);
        List<ChatMessage> round2 =
        [
            .. messages,
            new(ChatRole.Assistant, [new MeaiFunctionCallContent("x", name, new Dictionary<string, object?> { ["city"] = "Paris" })]),
            new(ChatRole.Tool, [new MeaiFunctionResultContent("x", "sunny in Paris")]),
        ];
        Reply(reference.TokenizeChat(round2, tools).Count, [.. reference.Tokenize("Sunny.", addBos: false), imEnd]);
        var dir = models.NewDirectory("sk-scripted");
        TestModelFactory.Create(dir, spec: new TinyLlamaSpec { MaxPositions = Positions }, positionLogits: table);

        // 3. The kernel runs the function and returns the model's answer.
        var (reply, plugin, history) = await AskAsync(dir);
        Assert.Equal(["Paris"], plugin.Calls);
        Assert.Equal("Sunny.", reply.Content);
        Assert.Contains(history, m => m.Role == AuthorRole.Tool);
    }
}
