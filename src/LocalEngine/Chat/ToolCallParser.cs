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
internal static partial class ToolCallParser
{
    public const string InvalidCallName = "invalid_tool_call";

    [GeneratedRegex(@"<tool_call>(.*?)(?:</tool_call>|\z)", RegexOptions.Singleline)]
    private static partial Regex CallRegex();

    public static IList<AIContent> Parse(string text, string callIdPrefix)
    {
        var contents = new List<AIContent>();
        var last = 0;
        var index = 0;
        foreach (Match m in CallRegex().Matches(text))
        {
            var before = text[last..m.Index].Trim();
            if (before.Length > 0)
            {
                contents.Add(new TextContent(before));
            }

            contents.Add(ParseCall(m.Groups[1].Value.Trim(), $"{callIdPrefix}_{index++.ToString(CultureInfo.InvariantCulture)}"));
            last = m.Index + m.Length;
        }

        var rest = text[last..].Trim();
        if (rest.Length > 0 || contents.Count == 0)
        {
            contents.Add(new TextContent(last == 0 ? text : rest));
        }

        return contents;
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
