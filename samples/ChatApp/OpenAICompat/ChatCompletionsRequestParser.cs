using Agents.LocalEngine;

namespace Agents.Samples.ChatApp.OpenAICompat;

/// <summary>
/// Parses an OpenAI <c>chat/completions</c> request body into M.E.AI messages and options. Every field it reads,
/// and every other field of OpenAI's request it knows, is type-checked: a wrong-typed or malformed field is an
/// <see cref="InvalidCompletionRequestException"/> naming it, never ignored and never another exception.
/// </summary>
internal static class ChatCompletionsRequestParser
{
    /// <summary>The most choices (<c>n</c>) one request may ask for.</summary>
    internal const int MaxChoices = 8;

    /// <summary>OpenAI request fields this endpoint accepts but does not use, with the JSON kinds they may have.</summary>
    private static readonly Dictionary<string, (JsonValueKind[] Kinds, string Expected)> IgnoredFields = new(StringComparer.Ordinal)
    {
        ["parallel_tool_calls"] = ([JsonValueKind.True, JsonValueKind.False], "true or false"),
        ["logprobs"] = ([JsonValueKind.True, JsonValueKind.False], "true or false"),
        ["store"] = ([JsonValueKind.True, JsonValueKind.False], "true or false"),
        ["top_logprobs"] = ([JsonValueKind.Number], "an integer"),
        ["user"] = ([JsonValueKind.String], "a string"),
        ["service_tier"] = ([JsonValueKind.String], "a string"),
        ["reasoning_effort"] = ([JsonValueKind.String], "a string"),
        ["verbosity"] = ([JsonValueKind.String], "a string"),
        ["safety_identifier"] = ([JsonValueKind.String], "a string"),
        ["prompt_cache_key"] = ([JsonValueKind.String], "a string"),
        ["response_format"] = ([JsonValueKind.Object], "an object"),
        ["logit_bias"] = ([JsonValueKind.Object], "an object"),
        ["metadata"] = ([JsonValueKind.Object], "an object"),
        ["prediction"] = ([JsonValueKind.Object], "an object"),
        ["audio"] = ([JsonValueKind.Object], "an object"),
        ["web_search_options"] = ([JsonValueKind.Object], "an object"),
        ["modalities"] = ([JsonValueKind.Array], "an array"),
    };

    public static ChatCompletionsRequest Parse(JsonElement root, int maxCompletionTokens)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidCompletionRequestException("The request body must be a JSON object.", null);
        }

        // Strings are transcoded lazily; find invalid UTF-8 (or a lone escaped surrogate) anywhere before reading any.
        if (FindInvalidText(root, string.Empty) is { } badText)
        {
            throw new InvalidCompletionRequestException(
                $"'{(badText.Length == 0 ? "body" : badText)}' contains invalid UTF-8 or an unpaired surrogate; send valid UTF-8 JSON.", badText.Length == 0 ? null : badText);
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

        var choices = 1;
        if (Present(root, "n", out var n) && (n.ValueKind != JsonValueKind.Number || !n.TryGetInt32(out choices) || choices < 1 || choices > MaxChoices))
        {
            throw new InvalidCompletionRequestException($"'n' must be an integer from 1 to {MaxChoices}.", "n");
        }

        foreach (var (name, (kinds, expected)) in IgnoredFields)
        {
            if (Present(root, name, out var value) && !kinds.Contains(value.ValueKind))
            {
                throw new InvalidCompletionRequestException($"'{name}' must be {expected}.", name);
            }
        }

        var options = new ChatOptions();
        ParseTools(root, options);
        options.ModelId = OptionalString(root, "model", "model");

        var maxName = Present(root, "max_completion_tokens", out _) ? "max_completion_tokens" : "max_tokens";
        _ = ReadInt(root, "max_tokens");
        if (ReadInt(root, maxName) is { } max)
        {
            options.MaxOutputTokens = CheckMaxTokens(max, maxName, maxCompletionTokens);
        }

        options.Temperature = ReadFloat(root, "temperature", 0, 2);
        options.TopP = ReadFloat(root, "top_p", 0, 1);
        options.FrequencyPenalty = ReadFloat(root, "frequency_penalty", -2, 2);
        options.PresencePenalty = ReadFloat(root, "presence_penalty", -2, 2);
        if (ReadLong(root, "seed") is { } seed)
        {
            options.Seed = seed;
        }

        if (Present(root, "stop", out var stop))
        {
            const string StopError = "'stop' must be a string or an array of at most 4 strings.";
            options.StopSequences = stop.ValueKind switch
            {
                JsonValueKind.String => [stop.GetString()!],
                JsonValueKind.Array when stop.GetArrayLength() <= 4 => [.. stop.EnumerateArray().Select(s => s.ValueKind == JsonValueKind.String
                    ? s.GetString()!
                    : throw new InvalidCompletionRequestException(StopError, "stop"))],
                _ => throw new InvalidCompletionRequestException(StopError, "stop"),
            };
        }

        var stream = ReadBool(root, "stream", "stream") ?? false;
        var includeUsage = false;
        if (Present(root, "stream_options", out var streamOptions))
        {
            if (streamOptions.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidCompletionRequestException("'stream_options' must be an object such as {\"include_usage\": true}.", "stream_options");
            }

            includeUsage = ReadBool(streamOptions, "include_usage", "stream_options.include_usage") ?? false;
            _ = ReadBool(streamOptions, "include_obfuscation", "stream_options.include_obfuscation");
        }

        if (choices > 1)
        {
            if (stream)
            {
                throw new InvalidCompletionRequestException("'n' above 1 cannot be streamed by this server; set 'stream' to false.", "n");
            }

            // A local model samples the n replies from one shared prefill; other models are asked n times.
            options.WithResultsPerPrompt(choices);
        }

        return new ChatCompletionsRequest(messages, options, stream, includeUsage, choices);
    }

    private static int CheckMaxTokens(int value, string name, int maxCompletionTokens) =>
        value < 1 || value > maxCompletionTokens
            ? throw new InvalidCompletionRequestException($"'{name}' is {value}; it must be between 1 and the server maximum {maxCompletionTokens}.", name)
            : value;

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

        _ = OptionalString(item, "name", $"{param}.name");
        if (role == ChatRole.Tool)
        {
            var callId = OptionalString(item, "tool_call_id", $"{param}.tool_call_id");
            if (string.IsNullOrEmpty(callId))
            {
                throw new InvalidCompletionRequestException($"{param}.tool_call_id is required on a 'tool' message.", $"{param}.tool_call_id");
            }

            var result = Present(item, "content", out var toolContent) ? ReadText(toolContent, param) : string.Empty;
            return new ChatMessage(ChatRole.Tool, [new FunctionResultContent(callId, result)]);
        }

        var calls = new List<AIContent>();
        if (Present(item, "tool_calls", out var toolCalls))
        {
            if (role != ChatRole.Assistant || toolCalls.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidCompletionRequestException($"{param}.tool_calls must be an array, on an 'assistant' message only.", $"{param}.tool_calls");
            }

            var j = 0;
            foreach (var call in toolCalls.EnumerateArray())
            {
                calls.Add(ParseToolCall(call, $"{param}.tool_calls[{j++}]"));
            }
        }

        if (!Present(item, "content", out var content))
        {
            if (role == ChatRole.Assistant && (calls.Count > 0 || item.TryGetProperty("content", out _)))
            {
                return new ChatMessage(ChatRole.Assistant, calls);
            }

            throw new InvalidCompletionRequestException($"{param}.content is required.", $"{param}.content");
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
                && part.TryGetProperty("type", out var type) && Is(type, "text")
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

        if (Present(call, "type", out var type) && !Is(type, "function"))
        {
            throw new InvalidCompletionRequestException($"{param}.type must be 'function'.", $"{param}.type");
        }

        Dictionary<string, object?>? arguments = null;
        if (Present(function, "arguments", out var args))
        {
            if (args.ValueKind != JsonValueKind.String)
            {
                throw new InvalidCompletionRequestException($"{param}.function.arguments must be a string holding a JSON object, such as \"{{\\\"city\\\":\\\"Oslo\\\"}}\".", $"{param}.function.arguments");
            }

            var argsText = args.GetString()!;
            if (!string.IsNullOrWhiteSpace(argsText))
            {
                try
                {
                    using var parsed = JsonDocument.Parse(argsText);
                    if (parsed.RootElement.ValueKind != JsonValueKind.Object)
                    {
                        throw new JsonException("not an object");
                    }

                    arguments = parsed.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
                }
                catch (JsonException)
                {
                    throw new InvalidCompletionRequestException($"{param}.function.arguments is not a JSON object.", $"{param}.function.arguments");
                }
            }
        }

        return new FunctionCallContent(id.GetString()!, name.GetString()!, arguments);
    }

    private static void ParseTools(JsonElement root, ChatOptions options)
    {
        var declared = new List<AITool>();
        if (Present(root, "tools", out var tools))
        {
            if (tools.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidCompletionRequestException("'tools' must be an array of function tools.", "tools");
            }

            var i = 0;
            foreach (var tool in tools.EnumerateArray())
            {
                var param = $"tools[{i++}]";
                if (tool.ValueKind != JsonValueKind.Object || !tool.TryGetProperty("type", out var type) || !Is(type, "function")
                    || !tool.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object
                    || !function.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(name.GetString()))
                {
                    throw new InvalidCompletionRequestException($"{param} must be {{\"type\":\"function\",\"function\":{{\"name\",\"description\",\"parameters\"}}}}.", param);
                }

                var description = OptionalString(function, "description", $"{param}.function.description");
                _ = ReadBool(function, "strict", $"{param}.function.strict");
                JsonElement schema;
                if (Present(function, "parameters", out var parameters))
                {
                    schema = parameters.ValueKind == JsonValueKind.Object
                        ? parameters.Clone()
                        : throw new InvalidCompletionRequestException($"{param}.function.parameters must be a JSON Schema object.", $"{param}.function.parameters");
                }
                else
                {
                    schema = JsonDocument.Parse("{\"type\":\"object\",\"properties\":{}}").RootElement.Clone();
                }

                declared.Add(AIFunctionFactory.CreateDeclaration(name.GetString()!, description, schema));
            }
        }

        if (declared.Count > 0)
        {
            options.Tools = declared;
        }

        if (!Present(root, "tool_choice", out var choice))
        {
            return;
        }

        if (declared.Count == 0)
        {
            throw new InvalidCompletionRequestException("'tool_choice' is only allowed when 'tools' declares at least one function.", "tool_choice");
        }

        const string ChoiceError = "'tool_choice' must be 'auto', 'none', 'required' or {\"type\":\"function\",\"function\":{\"name\":\"...\"}}.";
        if (choice.ValueKind == JsonValueKind.String)
        {
            options.ToolMode = choice.GetString() switch
            {
                "auto" => ChatToolMode.Auto,
                "none" => ChatToolMode.None,
                "required" => ChatToolMode.RequireAny,
                _ => throw new InvalidCompletionRequestException(ChoiceError, "tool_choice"),
            };
            return;
        }

        if (choice.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidCompletionRequestException(ChoiceError, "tool_choice");
        }

        if (Present(choice, "type", out var choiceType) && !Is(choiceType, "function"))
        {
            throw new InvalidCompletionRequestException("'tool_choice.type' must be 'function'.", "tool_choice.type");
        }

        if (!choice.TryGetProperty("function", out var f) || f.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidCompletionRequestException("'tool_choice.function' must be an object such as {\"name\":\"get_weather\"}.", "tool_choice.function");
        }

        if (!f.TryGetProperty("name", out var chosen) || chosen.ValueKind != JsonValueKind.String)
        {
            throw new InvalidCompletionRequestException("'tool_choice.function.name' must be a string naming one of 'tools'.", "tool_choice.function.name");
        }

        var chosenName = chosen.GetString()!;
        if (!declared.Any(t => t.Name == chosenName))
        {
            throw new InvalidCompletionRequestException($"'tool_choice.function.name' is '{chosenName}', which 'tools' does not declare.", "tool_choice.function.name");
        }

        options.ToolMode = ChatToolMode.RequireSpecific(chosenName);
    }

    private static bool Is(JsonElement value, string text) => value.ValueKind == JsonValueKind.String && value.ValueEquals(text);

    /// <summary>Returns whether <paramref name="name"/> is present and not <c>null</c>.</summary>
    private static bool Present(JsonElement parent, string name, out JsonElement value) =>
        parent.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private static string? OptionalString(JsonElement parent, string name, string param)
    {
        if (!Present(parent, name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new InvalidCompletionRequestException($"'{param}' must be a string.", param);
    }

    private static bool? ReadBool(JsonElement parent, string name, string param)
    {
        if (!Present(parent, name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new InvalidCompletionRequestException($"'{param}' must be true or false.", param),
        };
    }

    private static int? ReadInt(JsonElement root, string name)
    {
        if (!Present(root, name, out var e))
        {
            return null;
        }

        return e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var value)
            ? value
            : throw new InvalidCompletionRequestException($"'{name}' must be an integer.", name);
    }

    private static long? ReadLong(JsonElement root, string name)
    {
        if (!Present(root, name, out var e))
        {
            return null;
        }

        return e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var value)
            ? value
            : throw new InvalidCompletionRequestException($"'{name}' must be an integer.", name);
    }

    private static float? ReadFloat(JsonElement root, string name, float min, float max)
    {
        if (!Present(root, name, out var e))
        {
            return null;
        }

        if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out var value) || value < min || value > max)
        {
            throw new InvalidCompletionRequestException($"'{name}' must be a number between {min} and {max}.", name);
        }

        return (float)value;
    }

    /// <summary>Returns the path of the first string or property name that is not valid text, or <see langword="null"/>.</summary>
    private static string? FindInvalidText(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return IsValidText(() => element.GetString()) ? null : path;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FindInvalidText(item, $"{path}[{i++}]") is { } bad)
                    {
                        return bad;
                    }
                }

                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name = string.Empty;
                    if (!IsValidText(() => name = property.Name))
                    {
                        return path;
                    }

                    if (FindInvalidText(property.Value, path.Length == 0 ? name : $"{path}.{name}") is { } bad)
                    {
                        return bad;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static bool IsValidText(Func<string?> read)
    {
        try
        {
            _ = read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
