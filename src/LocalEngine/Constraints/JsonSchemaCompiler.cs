using System.Text;
using System.Text.Json;

namespace Agents.LocalEngine.Constraints;

/// <summary>
/// Compiles a JSON schema to <see cref="JsonSchemaNode"/>s. Supported: <c>type</c> (one or a list), <c>properties</c>,
/// <c>required</c>, <c>additionalProperties</c> (false, true or a schema), <c>items</c>, <c>enum</c>, <c>const</c>,
/// <c>anyOf</c>, and the keywords that only annotate (<c>title</c>, <c>description</c>, <c>default</c>, <c>examples</c>,
/// <c>format</c>, <c>$schema</c>, <c>$id</c>, <c>$comment</c>, <c>readOnly</c>, <c>writeOnly</c>, <c>deprecated</c>), which are
/// ignored. Any other keyword throws <see cref="NotSupportedException"/> naming it.
/// </summary>
internal static class JsonSchemaCompiler
{
    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal)
    {
        "title", "description", "default", "examples", "format", "$schema", "$id", "$comment", "readOnly", "writeOnly", "deprecated",
    };

    private static readonly HashSet<string> Supported = new(StringComparer.Ordinal)
    {
        "type", "properties", "required", "additionalProperties", "items", "enum", "const", "anyOf",
    };

    public static JsonSchemaNode Compile(JsonElement schema) => Compile(schema, "#");

    private static JsonSchemaNode Compile(JsonElement schema, string path)
    {
        if (schema.ValueKind == JsonValueKind.True)
        {
            return JsonSchemaNode.AnyValue;
        }

        if (schema.ValueKind != JsonValueKind.Object)
        {
            throw new NotSupportedException($"Constrained decoding: the schema at {path} must be an object or true, not {schema.ValueKind}.");
        }

        foreach (var p in schema.EnumerateObject())
        {
            if (!Supported.Contains(p.Name) && !Annotations.Contains(p.Name))
            {
                throw new NotSupportedException(
                    $"Constrained decoding does not support the JSON schema keyword '{p.Name}' (at {path}). Supported: {string.Join(", ", Supported)}.");
            }
        }

        if (schema.TryGetProperty("anyOf", out var anyOf))
        {
            foreach (var k in new[] { "type", "properties", "items", "enum", "const", "required", "additionalProperties" })
            {
                if (schema.TryGetProperty(k, out _))
                {
                    throw new NotSupportedException($"Constrained decoding does not support the JSON schema keyword '{k}' beside 'anyOf' (at {path}); move it into each alternative.");
                }
            }

            if (anyOf.ValueKind != JsonValueKind.Array || anyOf.GetArrayLength() == 0)
            {
                throw new NotSupportedException($"Constrained decoding: 'anyOf' at {path} must be a non-empty array.");
            }

            return JsonSchemaNode.AnyOfNodes([.. anyOf.EnumerateArray().Select((o, i) => Compile(o, $"{path}/anyOf/{i}"))]);
        }

        if (schema.TryGetProperty("const", out var constant))
        {
            return JsonSchemaNode.OfLiterals([Literal(constant)]);
        }

        if (schema.TryGetProperty("enum", out var values))
        {
            if (values.ValueKind != JsonValueKind.Array || values.GetArrayLength() is 0 or > JsonSchemaNode.MaxLiterals)
            {
                throw new NotSupportedException($"Constrained decoding: 'enum' at {path} must be an array of 1 to {JsonSchemaNode.MaxLiterals} values.");
            }

            return JsonSchemaNode.OfLiterals(values.EnumerateArray().Select(Literal));
        }

        if (!schema.TryGetProperty("type", out var type))
        {
            // No type: whatever the object/array keywords imply, else any value.
            return schema.TryGetProperty("properties", out _) || schema.TryGetProperty("required", out _) || schema.TryGetProperty("additionalProperties", out _)
                ? CompileType("object", schema, path)
                : schema.TryGetProperty("items", out _) ? CompileType("array", schema, path) : JsonSchemaNode.AnyValue;
        }

        if (type.ValueKind == JsonValueKind.String)
        {
            return CompileType(type.GetString()!, schema, path);
        }

        if (type.ValueKind == JsonValueKind.Array && type.GetArrayLength() > 0)
        {
            var options = type.EnumerateArray().Select(t => CompileType(t.GetString() ?? string.Empty, schema, path)).ToList();
            return options.Count == 1 ? options[0] : JsonSchemaNode.AnyOfNodes(options);
        }

        throw new NotSupportedException($"Constrained decoding: 'type' at {path} must be a type name or a non-empty list of them.");
    }

    private static JsonSchemaNode CompileType(string type, JsonElement schema, string path) => type switch
    {
        "object" => CompileObject(schema, path),
        "array" => JsonSchemaNode.Array(schema.TryGetProperty("items", out var items) ? Compile(items, path + "/items") : JsonSchemaNode.AnyValue),
        "string" => JsonSchemaNode.Simple(JsonSchemaKind.String),
        "number" => JsonSchemaNode.Simple(JsonSchemaKind.Number),
        "integer" => JsonSchemaNode.Simple(JsonSchemaKind.Integer),
        "boolean" => JsonSchemaNode.OfLiterals([Encoding.UTF8.GetBytes("true"), Encoding.UTF8.GetBytes("false")]),
        "null" => JsonSchemaNode.OfLiterals([Encoding.UTF8.GetBytes("null")]),
        _ => throw new NotSupportedException($"Constrained decoding does not support the JSON schema type '{type}' (at {path})."),
    };

    private static JsonSchemaNode CompileObject(JsonElement schema, string path)
    {
        var names = new List<string>();
        var schemas = new List<JsonSchemaNode>();
        if (schema.TryGetProperty("properties", out var props))
        {
            foreach (var p in props.EnumerateObject())
            {
                names.Add(p.Name);
                schemas.Add(Compile(p.Value, $"{path}/properties/{p.Name}"));
            }
        }

        if (names.Count > JsonSchemaNode.MaxProperties)
        {
            throw new NotSupportedException($"Constrained decoding supports at most {JsonSchemaNode.MaxProperties} 'properties' per object (at {path}).");
        }

        var required = new HashSet<string>(StringComparer.Ordinal);
        if (schema.TryGetProperty("required", out var req))
        {
            foreach (var r in req.EnumerateArray())
            {
                var name = r.GetString() ?? string.Empty;
                if (!names.Contains(name))
                {
                    throw new NotSupportedException($"Constrained decoding: 'required' at {path} names '{name}', which is not in 'properties'.");
                }

                required.Add(name);
            }
        }

        JsonSchemaNode? additional = JsonSchemaNode.AnyValue;
        if (schema.TryGetProperty("additionalProperties", out var extra))
        {
            additional = extra.ValueKind == JsonValueKind.False ? null : Compile(extra, path + "/additionalProperties");
        }

        return JsonSchemaNode.Object(names, schemas, required, additional);
    }

    private static byte[] Literal(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => Encoding.UTF8.GetBytes("\"" + Escape(value.GetString()!) + "\""),
        JsonValueKind.Object or JsonValueKind.Array => Encoding.UTF8.GetBytes(System.Text.Json.Nodes.JsonNode.Parse(value.GetRawText())!.ToJsonString(Compact)),
        _ => Encoding.UTF8.GetBytes(value.GetRawText()),
    };

    private static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Escapes a string the minimal JSON way: quote, backslash and control characters only.</summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => sb.Append("\\\""),
                '\\' => sb.Append("\\\\"),
                '\n' => sb.Append("\\n"),
                '\r' => sb.Append("\\r"),
                '\t' => sb.Append("\\t"),
                < ' ' => sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)),
                _ => sb.Append(c),
            };
        }

        return sb.ToString();
    }
}
