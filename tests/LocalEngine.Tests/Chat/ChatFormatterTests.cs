namespace Agents.LocalEngine.Tests.Chat;

public sealed class ChatFormatterTests
{
    private static readonly AIFunction Weather = AIFunctionFactory.Create((string city) => $"sunny in {city}", "get_weather", "Gets the weather for a city.");

    private static List<ChatMessage> Conversation() =>
    [
        new(ChatRole.System, "Be brief."),
        new(ChatRole.User, "Weather in Paris?"),
        new(ChatRole.Assistant, [new FunctionCallContent("c1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" })]),
        new(ChatRole.Tool, [new FunctionResultContent("c1", "sunny")]),
    ];

    [Fact]
    public void ChatMl_renders_system_tools_calls_and_results()
    {
        var text = new ChatMlFormatter().Format(Conversation(), [Weather]);
        Assert.StartsWith("<|im_start|>system\nBe brief.\n\n# Tools", text, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"get_weather\"", text, StringComparison.Ordinal);
        Assert.Contains("\"city\"", text, StringComparison.Ordinal);
        Assert.Contains("<|im_start|>user\nWeather in Paris?<|im_end|>\n", text, StringComparison.Ordinal);
        Assert.Contains("<|im_start|>assistant\n<tool_call>\n{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\"}}\n</tool_call><|im_end|>\n", text, StringComparison.Ordinal);
        Assert.Contains("<|im_start|>user\n<tool_response>\nsunny\n</tool_response><|im_end|>\n", text, StringComparison.Ordinal);
        Assert.EndsWith("<|im_start|>assistant\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ChatMl_without_tools_or_system_has_no_system_turn()
    {
        var text = new ChatMlFormatter().Format([new(ChatRole.User, "hi")], []);
        Assert.Equal("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n", text);
    }

    [Fact]
    public void Llama3_uses_headers_bos_and_ipython_for_tool_results()
    {
        var text = new Llama3Formatter().Format(Conversation(), []);
        Assert.StartsWith("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>", text, StringComparison.Ordinal);
        Assert.Contains("<|start_header_id|>ipython<|end_header_id|>\n\n<tool_response>", text, StringComparison.Ordinal);
        Assert.EndsWith("<|start_header_id|>assistant<|end_header_id|>\n\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Phi3_uses_its_role_tags()
    {
        var text = new Phi3Formatter().Format([new(ChatRole.System, "S"), new(ChatRole.User, "U"), new(ChatRole.Assistant, "A"), new(ChatRole.User, "U2")], []);
        Assert.Equal("<|system|>\nS<|end|>\n<|user|>\nU<|end|>\n<|assistant|>\nA<|end|>\n<|user|>\nU2<|end|>\n<|assistant|>\n", text);
    }

    [Fact]
    public void Gemma_folds_the_system_text_into_the_first_user_turn_and_calls_the_assistant_model()
    {
        var text = new GemmaFormatter().Format([new(ChatRole.System, "S"), new(ChatRole.User, "U"), new(ChatRole.Assistant, "A")], []);
        Assert.Equal("<bos><start_of_turn>user\nS\n\nU<end_of_turn>\n<start_of_turn>model\nA<end_of_turn>\n<start_of_turn>model\n", text);
    }

    [Fact]
    public void Llama2_puts_the_system_text_in_the_first_instruction_and_closes_answers_with_eos()
    {
        var text = new Llama2Formatter().Format([new(ChatRole.System, "S"), new(ChatRole.User, "U"), new(ChatRole.Assistant, "A"), new(ChatRole.User, "U2")], []);
        Assert.Equal("<s>[INST] <<SYS>>\nS\n<</SYS>>\n\nU [/INST] A </s><s>[INST] U2 [/INST]", text);
        Assert.Equal("<s>[INST] U [/INST]", new Llama2Formatter().Format([new(ChatRole.User, "U")], []));
        Assert.Equal("</s>", new Llama2Formatter().EndOfTurnToken);
    }

    [Theory]
    [InlineData("{% for m in messages %}<|im_start|>{{ m.role }}{% endfor %}", "", ChatTemplateFamily.ChatMl)]
    [InlineData("{{ bos_token + '[INST] ' + message['content'] + ' [/INST]' }}", "llama", ChatTemplateFamily.Llama2)]
    [InlineData(null, "mistral", ChatTemplateFamily.Llama2)]
    [InlineData("<|start_header_id|>{{ role }}<|end_header_id|>", "llama", ChatTemplateFamily.Llama3)]
    [InlineData("<start_of_turn>user", "", ChatTemplateFamily.Gemma)]
    [InlineData("<|user|>\n{{ content }}<|end|>\n<|assistant|>", "", ChatTemplateFamily.Phi3)]
    [InlineData(null, "qwen2", ChatTemplateFamily.ChatMl)]
    [InlineData(null, "gemma2", ChatTemplateFamily.Gemma)]
    [InlineData(null, "phi3", ChatTemplateFamily.Phi3)]
    public void Family_is_detected_from_template_then_model_type(string? template, string modelType, ChatTemplateFamily expected)
    {
        Assert.Equal(expected, ChatTemplateSelector.Detect(template, modelType, _ => false));
    }

    [Fact]
    public void Unknown_models_have_no_family()
    {
        Assert.Null(ChatTemplateSelector.Detect(null, "gpt2", _ => false));
        Assert.Equal(ChatTemplateFamily.Llama3, ChatTemplateSelector.Detect(null, "llama", t => t == "<|start_header_id|>"));
    }

    [Fact]
    public void Tool_schema_is_rendered_as_json()
    {
        var block = ToolPrompt.RenderTools([Weather]);
        var line = block.Split('\n').Single(l => l.Contains("get_weather", StringComparison.Ordinal));
        using var doc = JsonDocument.Parse(line);
        Assert.Equal("Gets the weather for a city.", doc.RootElement.GetProperty("function").GetProperty("description").GetString());
        Assert.Equal("string", doc.RootElement.GetProperty("function").GetProperty("parameters").GetProperty("properties").GetProperty("city").GetProperty("type").GetString());
    }
}
