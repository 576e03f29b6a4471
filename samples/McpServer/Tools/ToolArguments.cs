namespace Agents.Samples.McpServer.Tools;

/// <summary>
/// Checks a tool call's arguments against the tool's input schema before anything runs or is charged: required
/// parameters present, no unknown ones, and each of the JSON type the schema declares (arrays: their items too).
/// </summary>
internal static class ToolArguments
{
    /// <summary>Returns a message naming the first wrong argument, or <see langword="null"/>.</summary>
    /// <param name="tool">The tool name, for the message.</param>
    /// <param name="schema">The tool's input schema.</param>
    /// <param name="arguments">The call's arguments.</param>
    public static string? Check(string tool, JsonElement schema, IReadOnlyDictionary<string, JsonElement> arguments)
    {
        var properties = schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object
            ? p.EnumerateObject().ToDictionary(x => x.Name, x => x.Value, StringComparer.Ordinal)
            : [];
        var names = string.Join(", ", properties.Keys.Select(k => $"'{k}'"));
        if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()).OfType<string>())
            {
                if (!arguments.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
                {
                    return $"the argument '{name}' of '{tool}' is required.";
                }
            }
        }

        foreach (var (name, value) in arguments)
        {
            if (!properties.TryGetValue(name, out var property))
            {
                return $"'{tool}' has no argument '{name}'; its arguments are {names}.";
            }

            if (value.ValueKind != JsonValueKind.Null && TypeError(property, value) is { } expected)
            {
                return $"the argument '{name}' of '{tool}' must be {expected}.";
            }
        }

        return null;
    }

    private static string? TypeError(JsonElement schema, JsonElement value)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("type", out var type))
        {
            return null;
        }

        var types = type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(t => t.GetString()).OfType<string>().ToArray()
            : type.ValueKind == JsonValueKind.String ? [type.GetString()!] : [];
        if (types.Length == 0 || types.Any(t => Matches(t, value)))
        {
            if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
            {
                foreach (var item in value.EnumerateArray())
                {
                    if (TypeError(items, item) is { } itemError)
                    {
                        return "an array whose items are each " + itemError;
                    }
                }
            }

            return null;
        }

        return string.Join(" or ", types.Select(t => t switch
        {
            "integer" => "an integer",
            "array" or "object" or "integer" => "an " + t,
            "null" => "null",
            _ => "a " + t,
        }));
    }

    private static bool Matches(string type, JsonElement value) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "array" => value.ValueKind == JsonValueKind.Array,
        "object" => value.ValueKind == JsonValueKind.Object,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };
}
