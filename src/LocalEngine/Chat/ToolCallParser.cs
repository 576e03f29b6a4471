using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Agents.LocalEngine.Chat;

/// <summary>
/// Splits generated text into plain text and <c>&lt;tool_call&gt;{json}&lt;/tool_call&gt;</c> calls. A call whose JSON
/// cannot be read becomes a <see cref="FunctionCallContent"/> carrying an <see cref="FunctionCallContent.Exception"/> that
/// tells the model what was wrong, so a function-invoking client answers it with an error result instead of crashing.
/// </summary>
internal static class ToolCallParser
{
    public const string InvalidCallName = "invalid_tool_call";

    /// <summary>
    /// Splits <paramref name="text"/>. A call's JSON object is delimited by its own braces (strings and escapes respected), so
    /// a <c>&lt;/tool_call&gt;</c> written inside a JSON string does not end the call; text that is not a whole object runs
    /// to the next <c>&lt;/tool_call&gt;</c> (or the end) and is reported as an invalid call.
    /// </summary>
    public static IList<AIContent> Parse(string text, string callIdPrefix)
    {
        var contents = new List<AIContent>();
        var last = 0;
        var index = 0;
        while (last < text.Length)
        {
            var open = text.IndexOf(ToolPrompt.CallOpen, last, StringComparison.Ordinal);
            if (open < 0)
            {
                break;
            }

            var before = text[last..open].Trim();
            if (before.Length > 0)
            {
                contents.Add(new TextContent(before));
            }

            var start = open + ToolPrompt.CallOpen.Length;
            var bodyStart = start;
            while (bodyStart < text.Length && char.IsWhiteSpace(text[bodyStart]))
            {
                bodyStart++;
            }

            int bodyEnd;
            int next;
            if (ObjectEnd(text, bodyStart) is { } end)
            {
                bodyEnd = end;
                next = end;
                while (next < text.Length && char.IsWhiteSpace(text[next]))
                {
                    next++;
                }

                next = string.CompareOrdinal(text, next, ToolPrompt.CallClose, 0, ToolPrompt.CallClose.Length) == 0 ? next + ToolPrompt.CallClose.Length : end;
            }
            else
            {
                var close = text.IndexOf(ToolPrompt.CallClose, start, StringComparison.Ordinal);
                bodyEnd = close < 0 ? text.Length : close;
                next = close < 0 ? text.Length : close + ToolPrompt.CallClose.Length;
            }

            contents.Add(ParseCall(text[start..bodyEnd].Trim(), $"{callIdPrefix}_{index++.ToString(CultureInfo.InvariantCulture)}"));
            last = next;
        }

        var rest = text[last..].Trim();
        if (rest.Length > 0 || contents.Count == 0)
        {
            contents.Add(new TextContent(last == 0 ? text : rest));
        }

        return contents;
    }

    /// <summary>The index just past the JSON object starting at <paramref name="start"/>, or null when there is no whole object there.</summary>
    private static int? ObjectEnd(string text, int start)
    {
        if (start >= text.Length || text[start] != '{')
        {
            return null;
        }

        var depth = 0;
        var inString = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c is '{' or '[')
            {
                depth++;
            }
            else if (c is '}' or ']' && --depth == 0)
            {
                return i + 1;
            }
        }

        return null;
    }

    private static FunctionCallContent ParseCall(string json, string callId)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("name", out var nameEl) || nameEl.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(nameEl.GetString()))
            {
                return Invalid(callId, null, "the JSON object has no string \"name\" property");
            }

            var name = nameEl.GetString()!;
            var args = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (root.TryGetProperty("arguments", out var argsEl) || root.TryGetProperty("parameters", out argsEl))
            {
                if (argsEl.ValueKind == JsonValueKind.String)
                {
                    // Some models emit the arguments as a JSON string.
                    using var inner = JsonDocument.Parse(argsEl.GetString()!);
                    argsEl = inner.RootElement.Clone();
                }

                if (argsEl.ValueKind == JsonValueKind.Object)
                {
                    foreach (var p in argsEl.EnumerateObject())
                    {
                        args[p.Name] = p.Value.Clone();
                    }
                }
                else if (argsEl.ValueKind != JsonValueKind.Null)
                {
                    return Invalid(callId, name, "\"arguments\" must be a JSON object");
                }
            }

            return new FunctionCallContent(callId, name, args);
        }
        catch (JsonException ex)
        {
            return Invalid(callId, TryName(json), $"the JSON is malformed ({ex.Message})");
        }
    }

    private static FunctionCallContent Invalid(string callId, string? name, string problem) =>
        new(callId, name ?? InvalidCallName)
        {
            Exception = new InvalidDataException(
                $"The tool call could not be read: {problem}. Reply with <tool_call>{{\"name\": \"<function-name>\", \"arguments\": {{...}}}}</tool_call> containing valid JSON."),
        };

    private static string? TryName(string json)
    {
        var m = Regex.Match(json, "\"name\"\\s*:\\s*\"([^\"]+)\"", RegexOptions.None, TimeSpan.FromMilliseconds(100));
        return m.Success ? m.Groups[1].Value : null;
    }
}
