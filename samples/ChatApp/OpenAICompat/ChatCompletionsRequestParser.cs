using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Agents.Samples.ChatApp.OpenAICompat;

/// <summary>
/// Parses an OpenAI <c>chat/completions</c> request body into M.E.AI messages and options, naming the field
/// that is wrong when it cannot.
/// </summary>
internal static class ChatCompletionsRequestParser
{
    public static ChatCompletionsRequest Parse(JsonElement root, int maxCompletionTokens)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidCompletionRequestException("The request body must be a JSON object.", null);
        }

        if (!root.TryGetProperty("messages", out var messagesElement) || messagesElement.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidCompletionRequestException("'messages' is required and must be an array of {role, content} objects.", "messages");
        }

        var messages = new List<ChatMessage>();
        var index = 0;
        foreach (var item in messagesElement.EnumerateArray())
        {
            messages.Add(ParseMessage(item, index++));
        }

        if (messages.Count == 0)
        {
            throw new InvalidCompletionRequestException("'messages' is empty; send at least one message.", "messages");
        }


        if (root.TryGetProperty("n", out var n) && n.ValueKind != JsonValueKind.Null && (!n.TryGetInt32(out var count) || count != 1))
        {
            throw new InvalidCompletionRequestException("'n' must be 1; this endpoint returns one choice.", "n");
        }

        var options = new ChatOptions();
        ParseTools(root, options);
        if (root.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String)
        {
            options.ModelId = model.GetString();
        }

        var maxTokens = ReadInt(root, "max_completion_tokens") ?? ReadInt(root, "max_tokens");
        if (maxTokens is { } max)
        {
            if (max < 1 || max > maxCompletionTokens)
            {
                throw new InvalidCompletionRequestException($"'max_tokens' is {max}; it must be between 1 and the server maximum {maxCompletionTokens}.", "max_tokens");
            }

            options.MaxOutputTokens = max;
        }

        options.Temperature = ReadFloat(root, "temperature", 0, 2);
        options.TopP = ReadFloat(root, "top_p", 0, 1);
        options.FrequencyPenalty = ReadFloat(root, "frequency_penalty", -2, 2);
        options.PresencePenalty = ReadFloat(root, "presence_penalty", -2, 2);
        if (ReadLong(root, "seed") is { } seed)
        {
            options.Seed = seed;
        }

        if (root.TryGetProperty("stop", out var stop))
        {
            options.StopSequences = stop.ValueKind switch
            {
                JsonValueKind.String => [stop.GetString()!],
                JsonValueKind.Array => [.. stop.EnumerateArray().Select(s => s.ValueKind == JsonValueKind.String
                    ? s.GetString()!
                    : throw new InvalidCompletionRequestException("'stop' must be a string or an array of strings.", "stop"))],
                JsonValueKind.Null => null,
                _ => throw new InvalidCompletionRequestException("'stop' must be a string or an array of strings.", "stop"),
            };
        }

        var stream = false;
        if (root.TryGetProperty("stream", out var streamElement) && streamElement.ValueKind != JsonValueKind.Null)
        {
            stream = streamElement.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new InvalidCompletionRequestException("'stream' must be true or false.", "stream"),
            };
        }

        var includeUsage = root.TryGetProperty("stream_options", out var streamOptions)
            && streamOptions.ValueKind == JsonValueKind.Object
            && streamOptions.TryGetProperty("include_usage", out var usage)
            && usage.ValueKind == JsonValueKind.True;

        return new ChatCompletionsRequest(messages, options, stream, includeUsage);
    }

    private static ChatMessage ParseMessage(JsonElement item, int index)
    {
        var param = $"messages[{index}]";
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidCompletionRequestException($"{param} must be an object with 'role' and 'content'.", param);
        }

        var roleText = item.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        ChatRole role = roleText switch
        {
            "system" or "developer" => ChatRole.System,
            "user" => ChatRole.User,
            "assistant" => ChatRole.Assistant,
            "tool" => ChatRole.Tool,
            _ => throw new InvalidCompletionRequestException($"{param}.role must be 'system', 'developer', 'user', 'assistant' or 'tool'.", $"{param}.role"),
        };

        if (role == ChatRole.Tool)
        {
            var callId = item.TryGetProperty("tool_call_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            if (string.IsNullOrEmpty(callId))
            {
                throw new InvalidCompletionRequestException($"{param}.tool_call_id is required on a 'tool' message.", $"{param}.tool_call_id");
            }

            var result = item.TryGetProperty("content", out var toolContent) ? ReadText(toolContent, param) : string.Empty;
            return new ChatMessage(ChatRole.Tool, [new FunctionResultContent(callId, result)]);
        }

        var calls = new List<AIContent>();
        if (role == ChatRole.Assistant && item.TryGetProperty("tool_calls", out var toolCalls) && toolCalls.ValueKind == JsonValueKind.Array)
        {
            var j = 0;
            foreach (var call in toolCalls.EnumerateArray())
            {
                calls.Add(ParseToolCall(call, $"{param}.tool_calls[{j++}]"));
            }
        }

        if (!item.TryGetProperty("content", out var content))
        {
            if (calls.Count > 0)
            {
                return new ChatMessage(ChatRole.Assistant, calls);
            }

            throw new InvalidCompletionRequestException($"{param}.content is required.", $"{param}.content");
        }

        if (content.ValueKind == JsonValueKind.Null && role == ChatRole.Assistant)
        {
            return new ChatMessage(ChatRole.Assistant, calls);
        }

        var text = ReadText(content, param);
        if (calls.Count > 0)
        {
            calls.Insert(0, new TextContent(text));
            return new ChatMessage(ChatRole.Assistant, calls);
        }

        return new ChatMessage(role, text);
    }

    private static string ReadText(JsonElement content, string param) =>
        content.ValueKind switch
        {
            JsonValueKind.String => content.GetString()!,
            JsonValueKind.Array => string.Concat(content.EnumerateArray().Select((part, i) =>
                part.ValueKind == JsonValueKind.Object
                && part.TryGetProperty("type", out var type) && type.ValueEquals("text")
                && part.TryGetProperty("text", out var partText) && partText.ValueKind == JsonValueKind.String
                    ? partText.GetString()
                    : throw new InvalidCompletionRequestException($"{param}.content[{i}] must be a text part {{\"type\":\"text\",\"text\":\"...\"}}; other parts are not supported.", $"{param}.content"))),
            _ => throw new InvalidCompletionRequestException($"{param}.content must be a string or an array of text parts.", $"{param}.content"),
        };

    private static FunctionCallContent ParseToolCall(JsonElement call, string param)
    {
        if (call.ValueKind != JsonValueKind.Object
            || !call.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String
            || !call.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object
            || !function.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
        {
            throw new InvalidCompletionRequestException($"{param} must be {{\"id\",\"type\":\"function\",\"function\":{{\"name\",\"arguments\"}}}}.", param);
        }

        Dictionary<string, object?>? arguments = null;
        if (function.TryGetProperty("arguments", out var args) && args.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(args.GetString()))
        {
            try
            {
                arguments = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(args.GetString()!)?
                    .ToDictionary(kv => kv.Key, kv => (object?)kv.Value);
            }
            catch (JsonException)
            {
                throw new InvalidCompletionRequestException($"{param}.function.arguments is not a JSON object.", $"{param}.function.arguments");
            }
        }

        return new FunctionCallContent(id.GetString()!, name.GetString()!, arguments);
    }

    private static void ParseTools(JsonElement root, ChatOptions options)
    {
        if (!root.TryGetProperty("tools", out var tools) || tools.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (tools.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidCompletionRequestException("'tools' must be an array of function tools.", "tools");
        }

        var declared = new List<AITool>();
        var i = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var param = $"tools[{i++}]";
            if (tool.ValueKind != JsonValueKind.Object || !tool.TryGetProperty("type", out var type) || !type.ValueEquals("function")
                || !tool.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object
                || !function.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(name.GetString()))
            {
                throw new InvalidCompletionRequestException($"{param} must be {{\"type\":\"function\",\"function\":{{\"name\",\"description\",\"parameters\"}}}}.", param);
            }

            var description = function.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            var schema = function.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object
                ? parameters.Clone()
                : JsonDocument.Parse("{\"type\":\"object\",\"properties\":{}}").RootElement.Clone();
            declared.Add(AIFunctionFactory.CreateDeclaration(name.GetString()!, description, schema));
        }

        if (declared.Count == 0)
        {
            return;
        }

        options.Tools = declared;
        if (root.TryGetProperty("tool_choice", out var choice))
        {
            if (choice.ValueKind == JsonValueKind.String)
            {
                switch (choice.GetString())
                {
                    case "auto":
                        options.ToolMode = ChatToolMode.Auto;
                        break;
                    case "none":
                        options.ToolMode = ChatToolMode.None;
                        break;
                    case "required":
                        options.ToolMode = ChatToolMode.RequireAny;
                        break;
                    default:
                        throw new InvalidCompletionRequestException("'tool_choice' must be 'auto', 'none', 'required' or a named function.", "tool_choice");
                }
            }
            else if (choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty("function", out var f) && f.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String)
            {
                options.ToolMode = ChatToolMode.RequireSpecific(n.GetString()!);
            }
            else if (choice.ValueKind != JsonValueKind.Null)
            {
                throw new InvalidCompletionRequestException("'tool_choice' must be 'auto', 'none', 'required' or a named function.", "tool_choice");
            }
        }
    }

    private static int? ReadInt(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var value)
            ? value
            : throw new InvalidCompletionRequestException($"'{name}' must be an integer.", name);
    }

    private static long? ReadLong(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var value)
            ? value
            : throw new InvalidCompletionRequestException($"'{name}' must be an integer.", name);
    }

    private static float? ReadFloat(JsonElement root, string name, float min, float max)
    {
        if (!root.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out var value) || value < min || value > max)
        {
            throw new InvalidCompletionRequestException($"'{name}' must be a number between {min} and {max}.", name);
        }

        return (float)value;
    }
}
