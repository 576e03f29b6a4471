using System.Text;
using Agents.LocalEngine.Constraints;

namespace Agents.LocalEngine.Tests.Constraints;

/// <summary>The byte-level JSON automaton on whole texts: what it accepts, refuses, and how far it is from complete.</summary>
public sealed class JsonAutomatonTests
{
    private const string Schema = """
        {
          "type": "object",
          "properties": {
            "name": { "type": "string", "description": "annotations are ignored" },
            "age": { "type": "integer" },
            "score": { "type": "number" },
            "tags": { "type": "array", "items": { "type": "string" } },
            "kind": { "enum": ["a", "b", 1, 12] },
            "note": { "anyOf": [ { "type": "string" }, { "type": "null" } ] },
            "ok": { "type": "boolean" }
          },
          "required": ["name", "age"],
          "additionalProperties": false
        }
        """;

    [Theory]
    [InlineData("""{"name":"x","age":3}""")]
    [InlineData(""" { "age" : -0 , "name" : "a\"b\\c\u00e9\n" }""")]
    [InlineData("""{"name":"","age":12,"score":-1.5e+3,"tags":["p","q"],"kind":12,"note":null,"ok":false}""")]
    [InlineData("""{"name":"","age":1,"kind":1,"score":0.25,"note":"n","tags":[]}""")]
    [InlineData("""{"name":"日本","age":1,"kind":"b"}""")]
    public void Accepts_valid_texts(string text)
    {
        var frames = Run(Schema, text);
        Assert.NotEmpty(frames);
        Assert.Contains(frames, f => f.IsAccepting());
    }

    [Theory]
    [InlineData("""{"name":"x" """)]
    [InlineData("""{"name":"x","age":3""")]
    public void Incomplete_texts_are_not_accepting(string text)
    {
        var frames = Run(Schema, text);
        Assert.NotEmpty(frames);
        Assert.DoesNotContain(frames, f => f.IsAccepting());
    }

    [Theory]
    [InlineData("""{"name":"x"}""")] // required age missing
    [InlineData("""{"name":"x","age":3} """)] // nothing may follow the value
    [InlineData("""{"name":"x","age":3.5}""")]
    [InlineData("""{"name":"x","age":03}""")]
    [InlineData("""{"name":"x","age":3,"other":1}""")]
    [InlineData("""{"name":"x","name":"y"}""")]
    [InlineData("""{"name":"x","age":3,"kind":"c"}""")]
    [InlineData("""{"name":"x","age":3,"kind":123}""")]
    [InlineData("""{"name":"x\q","age":3}""")]
    [InlineData("""{"name":"x","age":3,"ok":tru}""")]
    [InlineData("""{"name":"x","age":3}}""")]
    [InlineData("""{"name":"x","age":3,}""")]
    [InlineData("""["name"]""")]
    public void Refuses_invalid_texts(string text)
    {
        Assert.Empty(Run(Schema, text));
    }

    [Theory]
    [InlineData("""{"a":1,"na":{"x":[true,null,"s\u0041"]},"name":"n","nam\u0065x":2}""", true)]
    [InlineData("""{"name":"n","name":"m"}""", false)]
    [InlineData("""{"name":1}""", false)]
    public void Additional_properties_take_any_key_but_declared_ones_keep_their_schema(string text, bool valid)
    {
        const string open = """{"type":"object","properties":{"name":{"type":"string"}}}""";
        var frames = Run(open, text);
        Assert.Equal(valid, frames.Exists(f => f.IsAccepting()));
    }

    [Fact]
    public void Distance_is_the_shortest_completion()
    {
        // {"name":"","age":0} is the shortest valid text: 19 bytes.
        Assert.Equal(19, new RootFrame([], Compile(Schema), []).Distance());
        Assert.Equal(1, Run(Schema, """{"name":"","age":1""").Min(f => f.Distance()));
        var afterName = Run(Schema, """{"name":"ab""").Min(f => f.Distance());
        Assert.Equal("\",\"age\":0}".Length, afterName);
    }

    [Fact]
    public void Prefix_and_suffix_are_literal()
    {
        var root = new RootFrame(Encoding.UTF8.GetBytes("<tool_call>\n"), Compile("""{"type":"integer"}"""), Encoding.UTF8.GetBytes("\n</tool_call>"));
        Assert.True(Feed(root, "<tool_call>\n42\n</tool_call>").Single().IsDone);
        Assert.Empty(Feed(root, "<tool_call>42"));
        Assert.Empty(Feed(root, "<tool_call>\n42\n</tool>"));
    }

    [Theory]
    [InlineData("""{"type":"string","pattern":"a+"}""", "pattern")]
    [InlineData("""{"type":"object","properties":{"a":{"$ref":"#/x"}}}""", "$ref")]
    [InlineData("""{"oneOf":[{"type":"string"}]}""", "oneOf")]
    [InlineData("""{"type":"string","maxLength":3}""", "maxLength")]
    public void Unsupported_keywords_are_named(string schema, string keyword)
    {
        var ex = Assert.Throws<NotSupportedException>(() => Compile(schema));
        Assert.Contains($"'{keyword}'", ex.Message, StringComparison.Ordinal);
    }

    private static JsonSchemaNode Compile(string schema)
    {
        using var doc = JsonDocument.Parse(schema);
        return JsonSchemaCompiler.Compile(doc.RootElement.Clone());
    }

    private static List<JsonFrame> Run(string schema, string text) => Feed(new RootFrame([], Compile(schema), []), text);

    private static List<JsonFrame> Feed(JsonFrame start, string text)
    {
        List<JsonFrame> states = [start];
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var next = new List<JsonFrame>();
            foreach (var s in states)
            {
                s.Step(b, next);
            }

            states = next;
        }

        return states;
    }
}
