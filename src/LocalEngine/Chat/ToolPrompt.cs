using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Agents.LocalEngine.Chat;

/// <summary>Renders tools, tool calls and tool results in the Hermes / Qwen <c>&lt;tool_call&gt;</c> convention.</summary>
internal static class ToolPrompt
{
    public const string CallOpen = "<tool_call>";
    public const string CallClose = "</tool_call>";

    public static string RenderTools(IReadOnlyList<AIFunctionDeclaration> tools)
    {
        var sb = new StringBuilder();
        sb.Append("# Tools\n\nYou may call one or more functions to assist with the user query.\n\n");
        sb.Append("You are provided with function signatures within <tools></tools> XML tags:\n<tools>");
        foreach (var tool in tools)
        {
            var fn = new JsonObject
            {
                ["type"] = "function",
                ["function"] = new JsonObject
                {
                    ["name"] = tool.Name,
                    ["description"] = tool.Description,
                    ["parameters"] = JsonNode.Parse(tool.JsonSchema.GetRawText()),
                },
            };
            sb.Append('\n').Append(fn.ToJsonString());
        }

        sb.Append("\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n");
        sb.Append("<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call>");
        return sb.ToString();
    }

    public static string RenderCall(FunctionCallContent call)
    {
        var args = new JsonObject();
        if (call.Arguments is not null)
        {
            foreach (var (key, value) in call.Arguments)
            {
                args[key] = value is null ? null : JsonSerializer.SerializeToNode(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType()));
            }
        }

        var obj = new JsonObject { ["name"] = call.Name, ["arguments"] = args };
        return $"{CallOpen}\n{obj.ToJsonString()}\n{CallClose}";
    }

    public static string RenderResult(FunctionResultContent result)
    {
        var text = result.Result switch
        {
            null => result.Exception?.Message ?? string.Empty,
            string s => s,
            JsonElement e => e.ValueKind == JsonValueKind.String ? e.GetString() ?? string.Empty : e.GetRawText(),
            var other => JsonSerializer.Serialize(other, AIJsonUtilities.DefaultOptions.GetTypeInfo(other.GetType())),
        };
        return $"<tool_response>\n{text}\n</tool_response>";
    }

    /// <summary>The text of a message: its text parts, then any tool calls it made.</summary>
    public static string MessageText(ChatMessage message)
    {
        var sb = new StringBuilder();
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case TextContent t:
                    sb.Append(t.Text);
                    break;
                case FunctionCallContent call:
                    if (sb.Length > 0)
                    {
                        sb.Append('\n');
                    }

                    sb.Append(RenderCall(call));
                    break;
                case FunctionResultContent result:
                    if (sb.Length > 0)
                    {
                        sb.Append('\n');
                    }

                    sb.Append(RenderResult(result));
                    break;
                default:
                    break;
            }
        }

        return sb.ToString();
    }
}
