using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Agents.LocalEngine.Constraints;

/// <summary>What a constrained generation must produce: a fixed prefix, one JSON value of a schema, a fixed suffix.</summary>
internal sealed class JsonConstraintSpec
{
    private JsonConstraintSpec(byte[] prefix, JsonSchemaNode schema, byte[] suffix)
    {
        Prefix = prefix;
        Schema = schema;
        Suffix = suffix;
    }

    public byte[] Prefix { get; }

    public JsonSchemaNode Schema { get; }

    public byte[] Suffix { get; }

    /// <summary>A JSON value of <paramref name="schema"/>; without a schema, any JSON object.</summary>
    /// <exception cref="NotSupportedException">The schema uses a keyword outside the supported subset.</exception>
    public static JsonConstraintSpec Json(JsonElement? schema) =>
        new([], schema is { } s ? JsonSchemaCompiler.Compile(s) : JsonSchemaNode.AnyObject, []);

    /// <summary>
    /// One tool call in the <c>&lt;tool_call&gt;</c> format: <c>{"name": ..., "arguments": {...}}</c> where the name is one of
    /// <paramref name="tools"/> and the arguments follow that tool's parameter schema.
    /// </summary>
    /// <exception cref="NotSupportedException">A parameter schema uses a keyword outside the supported subset.</exception>
    public static JsonConstraintSpec ToolCall(IReadOnlyList<AIFunctionDeclaration> tools)
    {
        var options = tools.Select(t => JsonSchemaNode.Object(
            ["name", "arguments"],
            [JsonSchemaNode.OfLiterals([Encoding.UTF8.GetBytes("\"" + JsonSchemaCompiler.Escape(t.Name) + "\"")]), Arguments(t)],
            ["name", "arguments"],
            additional: null)).ToList();
        var schema = options.Count == 1 ? options[0] : JsonSchemaNode.AnyOfNodes(options);
        return new(Encoding.UTF8.GetBytes(Chat.ToolPrompt.CallOpen + "\n"), schema, Encoding.UTF8.GetBytes("\n" + Chat.ToolPrompt.CallClose));
    }

    private static JsonSchemaNode Arguments(AIFunctionDeclaration tool)
    {
        var node = JsonSchemaCompiler.Compile(tool.JsonSchema);
        return node.Kind == JsonSchemaKind.Any ? JsonSchemaNode.AnyObject : node;
    }

    /// <summary>A fresh per-sequence automaton over <paramref name="vocabulary"/>.</summary>
    public JsonTokenConstraint Start(ConstraintVocabulary vocabulary) => new(vocabulary, new RootFrame(Prefix, Schema, Suffix));
}
