namespace Agents.LocalEngine.Tests.Chat;

public sealed class ToolCallParserTests
{
    [Fact]
    public void Text_and_calls_are_split_in_order()
    {
        var contents = ToolCallParser.Parse(
            "Let me check.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\", \"days\": 2}}\n</tool_call>\n<tool_call>{\"name\":\"now\",\"arguments\":{}}</tool_call>",
            "call");
        Assert.Equal(3, contents.Count);
        Assert.Equal("Let me check.", Assert.IsType<TextContent>(contents[0]).Text);
        var call = Assert.IsType<FunctionCallContent>(contents[1]);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("call_0", call.CallId);
        Assert.Equal("Paris", ((JsonElement)call.Arguments!["city"]!).GetString());
        Assert.Equal(2, ((JsonElement)call.Arguments!["days"]!).GetInt32());
        Assert.Null(call.Exception);
        Assert.Equal("now", Assert.IsType<FunctionCallContent>(contents[2]).Name);
    }

    [Fact]
    public void A_closing_tag_inside_a_json_string_does_not_end_the_call()
    {
        var contents = ToolCallParser.Parse("<tool_call>\n{\"name\":\"echo\",\"arguments\":{\"text\":\"a</tool_call>b\\\"}\"}}\n</tool_call> done", "c");
        Assert.Equal(2, contents.Count);
        var call = Assert.IsType<FunctionCallContent>(contents[0]);
        Assert.Null(call.Exception);
        Assert.Equal("a</tool_call>b\"}", ((JsonElement)call.Arguments!["text"]!).GetString());
        Assert.Equal("done", Assert.IsType<TextContent>(contents[1]).Text);
    }

    [Fact]
    public void Arguments_given_as_a_json_string_and_an_unclosed_final_call_are_accepted()
    {
        var contents = ToolCallParser.Parse("<tool_call>{\"name\":\"f\",\"arguments\":\"{\\\"x\\\":1}\"}", "c");
        var call = Assert.IsType<FunctionCallContent>(Assert.Single(contents));
        Assert.Equal(1, ((JsonElement)call.Arguments!["x"]!).GetInt32());
    }

    [Theory]
    [InlineData("<tool_call>{\"name\": \"get_weather\", \"arguments\": {\"city\": </tool_call>", "get_weather", "malformed")]
    [InlineData("<tool_call>not json at all</tool_call>", ToolCallParser.InvalidCallName, "malformed")]
    [InlineData("<tool_call>{\"arguments\": {}}</tool_call>", ToolCallParser.InvalidCallName, "no string \"name\"")]
    [InlineData("<tool_call>{\"name\": \"f\", \"arguments\": [1]}</tool_call>", "f", "must be a JSON object")]
    public void Malformed_calls_become_calls_carrying_a_clear_error(string text, string name, string problem)
    {
        var call = Assert.IsType<FunctionCallContent>(Assert.Single(ToolCallParser.Parse(text, "c")));
        Assert.Equal(name, call.Name);
        Assert.NotNull(call.Exception);
        Assert.Contains(problem, call.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("<tool_call>", call.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_text_stays_text()
    {
        var text = Assert.IsType<TextContent>(Assert.Single(ToolCallParser.Parse("just words", "c")));
        Assert.Equal("just words", text.Text);
    }

    [Theory]
    [InlineData("hello", 5)]
    [InlineData("hello <tool", 6)]
    [InlineData("hello <tool_call>{", 6)]
    [InlineData("a < b", 5)]
    [InlineData("", 0)]
    public void Stream_gate_holds_back_a_possible_tool_call(string text, int safe)
    {
        Assert.Equal(safe, ToolCallStreamGate.SafeLength(text));
    }
}
