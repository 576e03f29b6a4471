using System.Diagnostics.CodeAnalysis;

namespace Agents.Planners.Prompts;

/// <summary>Finds and parses the JSON object inside a model reply (code fences and prose around it are ignored).</summary>
internal static class JsonReply
{
    /// <summary>Tries to parse the first balanced JSON object in <paramref name="text"/>.</summary>
    /// <param name="text">The model's reply.</param>
    /// <param name="document">The parsed document on success; the caller disposes it.</param>
    /// <param name="error">A short, model-readable reason on failure.</param>
    public static bool TryParseObject(string? text, [NotNullWhen(true)] out JsonDocument? document, out string error)
    {
        document = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "The reply was empty; a JSON object was expected.";
            return false;
        }

        int start = text.IndexOf('{', StringComparison.Ordinal);
        if (start < 0)
        {
            error = "The reply contained no JSON object (no '{' found).";
            return false;
        }

        int end = FindObjectEnd(text, start);
        if (end < 0)
        {
            error = "The JSON object was not closed (unbalanced braces).";
            return false;
        }

        try
        {
            document = JsonDocument.Parse(text.AsMemory(start, end - start + 1), new JsonDocumentOptions
            {
                AllowTrailingCommas = true,
                CommentHandling = JsonCommentHandling.Skip,
            });
            error = string.Empty;
            return true;
        }
        catch (JsonException ex)
        {
            error = "The JSON object could not be parsed: " + ex.Message;
            return false;
        }
    }

    /// <summary>Reads a string property (case-insensitive name); numbers and booleans are returned as text.</summary>
    public static string? GetString(JsonElement obj, string name)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (JsonProperty property in obj.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                    JsonValueKind.Null or JsonValueKind.Undefined => null,
                    _ => property.Value.GetRawText(),
                };
            }
        }

        return null;
    }

    /// <summary>Gets a property (case-insensitive name).</summary>
    public static bool TryGetProperty(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty property in obj.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = property.Value;
                    return true;
                }
            }
        }

        value = default;
        return false;
    }

    /// <summary>Reads a number property given as a number or a numeric string.</summary>
    public static double? GetDouble(JsonElement obj, string name)
    {
        if (!TryGetProperty(obj, name, out JsonElement value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double d))
        {
            return d;
        }

        if (value.ValueKind == JsonValueKind.String &&
            double.TryParse(value.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double parsed))
        {
            return parsed;
        }

        return null;
    }

    private static int FindObjectEnd(string text, int start)
    {
        int depth = 0;
        bool inString = false;
        bool escaped = false;
        for (int i = start; i < text.Length; i++)
        {
            char c = text[i];
            if (inString)
            {
                if (escaped)
                {
                    escaped = false;
                }
                else if (c == '\\')
                {
                    escaped = true;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '{':
                    depth++;
                    break;
                case '}':
                    depth--;
                    if (depth == 0)
                    {
                        return i;
                    }

                    break;
            }
        }

        return -1;
    }
}
