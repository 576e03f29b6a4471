using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Agents.LocalEngine;
using Microsoft.AspNetCore.Mvc;

namespace Agents.Samples.ChatApp.OpenAICompat;

/// <summary>
/// An OpenAI-compatible <c>POST /v1/chat/completions</c> (streaming and not) and <c>GET /v1/models</c> over the
/// configured <see cref="CompletionsModel"/>, so other chat UIs can use the local engine.
/// </summary>
internal static partial class ChatCompletionsEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/chat/completions", CompleteAsync);
        app.MapGet("/v1/models", ListModels);
    }

    private static IResult ListModels([FromServices] IServiceProvider services, [FromServices] TimeProvider timeProvider)
    {
        var model = services.GetService<CompletionsModel>();
        var data = new JsonArray();
        if (model is not null)
        {
            data.Add(new JsonObject { ["id"] = model.ModelId, ["object"] = "model", ["created"] = 0, ["owned_by"] = "local" });
        }

        return Results.Text(new JsonObject { ["object"] = "list", ["data"] = data }.ToJsonString(), "application/json");
    }

    private static async Task<IResult> CompleteAsync(
        HttpContext context,
        [FromServices] IServiceProvider services,
        [FromServices] IOptions<ChatAppOptions> options,
        [FromServices] TimeProvider timeProvider,
        [FromServices] ILoggerFactory loggerFactory)
    {
        var model = services.GetService<CompletionsModel>();
        if (model is null)
        {
            return Error(StatusCodes.Status503ServiceUnavailable, "No model is configured; set ChatApp:Model (a local ONNX folder or an OpenAI-compatible endpoint).", "server_error", null);
        }

        var (document, bodyError) = await JsonBodyReader.ReadAsync<JsonDocument>(
            context, options.Value.Limits.MaxRequestBytes, ApiJson.Options, context.RequestAborted).ConfigureAwait(false);
        if (bodyError is not null)
        {
            return Error(bodyError.Status, bodyError.Detail, "invalid_request_error", null);
        }

        ChatCompletionsRequest request;
        using (document)
        {
            try
            {
                request = ChatCompletionsRequestParser.Parse(document!.RootElement, options.Value.Limits.MaxCompletionTokens);
            }
            catch (InvalidCompletionRequestException ex)
            {
                return Error(StatusCodes.Status400BadRequest, ex.Message, "invalid_request_error", ex.Param);
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or OverflowException or ArgumentException or JsonException)
            {
                // The parser names every field it rejects; anything else it threw is still the request's fault, never a 500.
                var errorId = ErrorIds.New();
                LogUnreadable(loggerFactory.CreateLogger("Agents.Samples.ChatApp.Completions"), ex, errorId);
                return Error(StatusCodes.Status400BadRequest, $"The request body could not be read (error id {errorId}); check it against the OpenAI chat/completions format.", "invalid_request_error", null);
            }
        }

        var totalChars = request.Messages.Sum(m => m.Text.Length);
        if (totalChars > options.Value.Limits.MaxCompletionPromptChars)
        {
            return Error(StatusCodes.Status413PayloadTooLarge,
                $"The messages have {totalChars} characters; the server accepts at most {options.Value.Limits.MaxCompletionPromptChars}.",
                "invalid_request_error", "messages");
        }

        var id = "chatcmpl-" + Guid.NewGuid().ToString("N");
        var created = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        var logger = loggerFactory.CreateLogger("Agents.Samples.ChatApp.Completions");
        if (!request.Stream)
        {
            ChatResponse response;
            List<JsonObject> choices;
            try
            {
                response = await model.Client.GetResponseAsync(request.Messages, request.Options, context.RequestAborted).ConfigureAwait(false);
                choices = await ChoicesAsync(model.Client, request, response, context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The raw error (paths, endpoints, upstream bodies) goes to the log only; the client gets its id.
                var errorId = ErrorIds.New();
                LogFailed(logger, ex, errorId);
                return Error(StatusCodes.Status500InternalServerError, ErrorIds.ClientMessage("The model", errorId), "server_error", null);
            }

            var body = new JsonObject
            {
                ["id"] = id,
                ["object"] = "chat.completion",
                ["created"] = created,
                ["model"] = model.ModelId,
                ["choices"] = new JsonArray([.. choices]),
            };
            if (response.Usage is { } usage)
            {
                body["usage"] = UsageJson(usage);
            }

            return Results.Text(body.ToJsonString(), "application/json");
        }

        ChatEndpoints.NoCache(context.Response);
        return TypedResults.ServerSentEvents(StreamAsync(model, request, id, created, logger));
    }

    /// <summary>
    /// The streamed reply as OpenAI sends it: one <c>data: {chunk}</c> event per update (no event name), the last chunk
    /// with the finish reason, the usage chunk when asked for, and <c>data: [DONE]</c>. A failure after the first byte
    /// is reported inside the stream, as OpenAI does.
    /// </summary>
    private static async IAsyncEnumerable<SseItem<string>> StreamAsync(
        CompletionsModel model, ChatCompletionsRequest request, string id, long created, ILogger logger, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? finishReason = null;
        UsageDetails? totalUsage = null;
        var first = true;
        var toolCallIndex = 0;
        JsonObject? error = null;
        var updates = model.Client.GetStreamingResponseAsync(request.Messages, request.Options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (updates.ConfigureAwait(false))
        {
            while (true)
            {
                (var more, error) = await MoveNextAsync(updates, logger).ConfigureAwait(false);
                if (!more)
                {
                    break;
                }

                var update = updates.Current;
                foreach (var usageContent in update.Contents.OfType<UsageContent>())
                {
                    totalUsage ??= new UsageDetails();
                    totalUsage.Add(usageContent.Details);
                }

                finishReason = MapFinishReason(update.FinishReason) ?? finishReason;
                var calls = update.Contents.OfType<FunctionCallContent>().ToList();
                if (calls.Count > 0)
                {
                    var callDelta = new JsonObject();
                    if (first)
                    {
                        callDelta["role"] = "assistant";
                        first = false;
                    }

                    var array = new JsonArray();
                    foreach (var call in calls)
                    {
                        var json = ToolCallJson(call);
                        json["index"] = toolCallIndex++;
                        array.Add(json);
                    }

                    callDelta["tool_calls"] = array;
                    finishReason ??= "tool_calls";
                    yield return Data(Chunk(id, created, model.ModelId, callDelta, null));
                }

                var text = update.Text;
                if (string.IsNullOrEmpty(text) && !first)
                {
                    continue;
                }

                var delta = new JsonObject();
                if (first)
                {
                    delta["role"] = "assistant";
                    first = false;
                }

                delta["content"] = text;
                yield return Data(Chunk(id, created, model.ModelId, delta, null));
            }
        }

        if (error is not null)
        {
            // Headers are sent; report the failure inside the stream the way OpenAI does.
            yield return Data(error);
        }
        else
        {
            yield return Data(Chunk(id, created, model.ModelId, new JsonObject(), finishReason ?? "stop"));
            if (request.IncludeUsage && totalUsage is not null)
            {
                var usageChunk = Chunk(id, created, model.ModelId, null, null);
                usageChunk["usage"] = UsageJson(totalUsage);
                yield return Data(usageChunk);
            }
        }

        yield return new SseItem<string>("[DONE]");
    }

    /// <summary>The next update, or the end; a failure (not a cancellation) ends the stream with an error chunk.</summary>
    private static async Task<(bool More, JsonObject? Error)> MoveNextAsync(IAsyncEnumerator<ChatResponseUpdate> updates, ILogger logger)
    {
        try
        {
            return (await updates.MoveNextAsync().ConfigureAwait(false), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var errorId = ErrorIds.New();
            LogFailed(logger, ex, errorId);
            return (false, new JsonObject { ["error"] = new JsonObject { ["message"] = ErrorIds.ClientMessage("The model", errorId), ["type"] = "server_error", ["param"] = null, ["code"] = null } });
        }
    }

    /// <summary>A <c>data:</c> line with no event name, as OpenAI's stream has.</summary>
    private static SseItem<string> Data(JsonObject json) => new(json.ToJsonString());

    /// <summary>
    /// The response's choices: one per assistant message when the model answered <c>n</c> at once (the local engine
    /// does, from one shared prefill); otherwise the model is asked again until there are <c>n</c>, and the usage of
    /// every call is added to <paramref name="response"/>.
    /// </summary>
    private static async Task<List<JsonObject>> ChoicesAsync(IChatClient client, ChatCompletionsRequest request, ChatResponse response, CancellationToken cancellationToken)
    {
        if (request.Choices == 1)
        {
            return [Choice(0, response)];
        }

        var replies = response.Messages.Where(m => m.Role == ChatRole.Assistant).ToList();
        if (replies.Count >= request.Choices)
        {
            return [.. replies.Take(request.Choices).Select((m, i) => Choice(i, new ChatResponse(m)
            {
                FinishReason = m.AdditionalProperties?.TryGetValue("finish_reason", out var reason) == true && reason is string r ? new ChatFinishReason(r) : response.FinishReason,
            }))];
        }

        var choices = new List<JsonObject> { Choice(0, response) };
        var single = request.Options.Clone();
        single.AdditionalProperties?.Remove(LocalChatOptionsExtensions.ResultsPerPromptKey);
        for (var i = 1; i < request.Choices; i++)
        {
            var more = await client.GetResponseAsync(request.Messages, single, cancellationToken).ConfigureAwait(false);
            choices.Add(Choice(i, more));
            if (more.Usage is { } usage)
            {
                response.Usage ??= new UsageDetails();
                response.Usage.Add(usage);
            }
        }

        return choices;
    }

    private static JsonObject Choice(int index, ChatResponse response) => new()
    {
        ["index"] = index,
        ["message"] = AssistantMessage(response),
        ["finish_reason"] = MapFinishReason(response.FinishReason)
            ?? (response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Any() ? "tool_calls" : "stop"),
    };

    private static JsonObject AssistantMessage(ChatResponse response)
    {
        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        var message = new JsonObject { ["role"] = "assistant", ["content"] = calls.Count > 0 && string.IsNullOrEmpty(response.Text) ? null : response.Text };
        if (calls.Count > 0)
        {
            message["tool_calls"] = new JsonArray([.. calls.Select(c => (JsonNode)ToolCallJson(c))]);
        }

        return message;
    }

    private static JsonObject ToolCallJson(FunctionCallContent call) => new()
    {
        ["id"] = string.IsNullOrEmpty(call.CallId) ? "call_" + Guid.NewGuid().ToString("N")[..12] : call.CallId,
        ["type"] = "function",
        ["function"] = new JsonObject
        {
            ["name"] = call.Name,
            ["arguments"] = JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions),
        },
    };

    private static JsonObject Chunk(string id, long created, string model, JsonObject? delta, string? finishReason)
    {
        var choices = new JsonArray();
        if (delta is not null)
        {
            choices.Add(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finishReason });
        }

        return new JsonObject
        {
            ["id"] = id,
            ["object"] = "chat.completion.chunk",
            ["created"] = created,
            ["model"] = model,
            ["choices"] = choices,
        };
    }

    private static JsonObject UsageJson(UsageDetails usage) => new()
    {
        ["prompt_tokens"] = usage.InputTokenCount ?? 0,
        ["completion_tokens"] = usage.OutputTokenCount ?? 0,
        ["total_tokens"] = usage.TotalTokenCount ?? ((usage.InputTokenCount ?? 0) + (usage.OutputTokenCount ?? 0)),
    };

    private static string? MapFinishReason(ChatFinishReason? reason)
    {
        if (reason is not { } r)
        {
            return null;
        }

        if (r == ChatFinishReason.Length) return "length";
        if (r == ChatFinishReason.ToolCalls) return "tool_calls";
        if (r == ChatFinishReason.ContentFilter) return "content_filter";
        return "stop";
    }

    /// <summary>An error in OpenAI's shape: <c>{"error":{"message","type","param","code"}}</c>.</summary>
    internal static IResult Error(int status, string message, string type, string? param) =>
        Results.Text(
            new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = param, ["code"] = null } }.ToJsonString(),
            "application/json",
            statusCode: status);

    [LoggerMessage(Level = LogLevel.Error, Message = "A chat completion failed (error id {ErrorId})")]
    private static partial void LogFailed(ILogger logger, Exception exception, string errorId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A chat completion request could not be read (error id {ErrorId})")]
    private static partial void LogUnreadable(ILogger logger, Exception exception, string errorId);
}
