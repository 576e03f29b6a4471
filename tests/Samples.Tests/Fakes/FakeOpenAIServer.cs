using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Agents.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Agents.Samples.Tests.Fakes;

/// <summary>
/// An OpenAI-compatible chat/completions endpoint on 127.0.0.1 driven by a script callback: the scripted model of
/// the end-to-end tests. Checks the bearer key (401 in OpenAI's error shape otherwise), speaks both plain JSON and
/// SSE streaming, and records every request. A <see cref="FakeReply.Fail"/> reply answers with that status instead.
/// </summary>
public sealed class FakeOpenAIServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<FakeChatRequest> _requests = new();
    private LoopbackApp _app = null!;
    private int _counter;

    private FakeOpenAIServer()
    {
    }

    /// <summary>The API base, e.g. <c>http://127.0.0.1:1234/v1</c>.</summary>
    public Uri Endpoint => _app.Url("v1");

    public IReadOnlyList<FakeChatRequest> Requests => [.. _requests];

    private int _unauthorized;

    public int Unauthorized => Volatile.Read(ref _unauthorized);

    public static async Task<FakeOpenAIServer> StartAsync(string apiKey, Func<FakeChatRequest, FakeReply> script)
    {
        var server = new FakeOpenAIServer();
        server._app = await LoopbackApp.StartAsync(app => app.MapPost("/v1/chat/completions", (HttpContext context) => server.HandleAsync(context, apiKey, script)));
        return server;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context, string apiKey, Func<FakeChatRequest, FakeReply> script)
    {
        if (context.Request.Headers.Authorization.ToString() != "Bearer " + apiKey)
        {
            Interlocked.Increment(ref _unauthorized);
            context.Response.StatusCode = 401;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""");
            return;
        }

        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        using var doc = JsonDocument.Parse(body);
        var request = Parse(doc.RootElement, body);
        _requests.Enqueue(request);
        FakeReply reply;
        try
        {
            reply = script(request);
        }
        catch (Exception ex)
        {
            context.Response.StatusCode = 500;
            await context.Response.WriteAsync("""{"error":{"message":"script failed: """ + JsonEncodedText.Encode(ex.Message) + "\"}}");
            return;
        }

        if (reply.Status != 200)
        {
            context.Response.StatusCode = reply.Status;
            if (reply.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"error":{"message":"scripted failure","type":"rate_limit_error"}}""");
            return;
        }

        int n = Interlocked.Increment(ref _counter);
        var calls = reply.ToolCalls.Select((c, i) => new FakeToolCall($"call_{n}_{i}", c.Name, c.ArgumentsJson)).ToList();
        if (request.Stream)
        {
            await WriteStreamAsync(context, request.Model, n, reply, calls);
        }
        else
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(Completion(request.Model, n, reply, calls));
        }
    }

    private static string Completion(string model, int n, FakeReply reply, List<FakeToolCall> calls)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            WriteHead(json, "chat.completion", n, model);
            json.WriteStartArray("choices");
            json.WriteStartObject();
            json.WriteNumber("index", 0);
            json.WriteStartObject("message");
            json.WriteString("role", "assistant");
            if (reply.Text is null)
            {
                json.WriteNull("content");
            }
            else
            {
                json.WriteString("content", reply.Text);
            }

            if (calls.Count > 0)
            {
                json.WriteStartArray("tool_calls");
                foreach (var c in calls)
                {
                    WriteToolCall(json, c, index: null);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
            json.WriteString("finish_reason", calls.Count > 0 ? "tool_calls" : "stop");
            json.WriteEndObject();
            json.WriteEndArray();
            WriteUsage(json, reply);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Opens the response object and writes what every completion and chunk starts with.</summary>
    private static void WriteHead(Utf8JsonWriter json, string type, int n, string model)
    {
        json.WriteStartObject();
        json.WriteString("id", $"chatcmpl-{n}");
        json.WriteString("object", type);
        json.WriteNumber("created", 1_700_000_000 + n);
        json.WriteString("model", model);
    }

    private static void WriteUsage(Utf8JsonWriter json, FakeReply reply)
    {
        json.WriteStartObject("usage");
        json.WriteNumber("prompt_tokens", reply.PromptTokens);
        json.WriteNumber("completion_tokens", reply.CompletionTokens);
        json.WriteNumber("total_tokens", reply.PromptTokens + reply.CompletionTokens);
        json.WriteEndObject();
    }

    private static async Task WriteStreamAsync(HttpContext context, string model, int n, FakeReply reply, List<FakeToolCall> calls)
    {
        context.Response.ContentType = "text/event-stream";
        async Task Chunk(Action<Utf8JsonWriter> delta, string? finish, bool usage)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                WriteHead(json, "chat.completion.chunk", n, model);
                json.WriteStartArray("choices");
                if (!usage)
                {
                    json.WriteStartObject();
                    json.WriteNumber("index", 0);
                    json.WriteStartObject("delta");
                    delta(json);
                    json.WriteEndObject();
                    if (finish is null)
                    {
                        json.WriteNull("finish_reason");
                    }
                    else
                    {
                        json.WriteString("finish_reason", finish);
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
                if (usage)
                {
                    WriteUsage(json, reply);
                }

                json.WriteEndObject();
            }

            await context.Response.WriteAsync("data: " + Encoding.UTF8.GetString(buffer.ToArray()) + "\n\n");
        }

        await Chunk(j => { j.WriteString("role", "assistant"); if (reply.Text is not null) { j.WriteString("content", reply.Text); } }, null, false);
        for (int i = 0; i < calls.Count; i++)
        {
            var c = calls[i];
            await Chunk(j =>
            {
                j.WriteStartArray("tool_calls");
                WriteToolCall(j, c, i);
                j.WriteEndArray();
            }, null, false);
        }

        await Chunk(_ => { }, calls.Count > 0 ? "tool_calls" : "stop", false);
        await Chunk(_ => { }, null, true);
        await context.Response.WriteAsync("data: [DONE]\n\n");
    }

    /// <summary>Writes one tool call as OpenAI does: with its index in a streamed chunk, without in a whole completion.</summary>
    private static void WriteToolCall(Utf8JsonWriter json, FakeToolCall call, int? index)
    {
        json.WriteStartObject();
        if (index is { } i)
        {
            json.WriteNumber("index", i);
        }

        json.WriteString("id", call.Id);
        json.WriteString("type", "function");
        json.WriteStartObject("function");
        json.WriteString("name", call.Name);
        json.WriteString("arguments", call.ArgumentsJson);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static FakeChatRequest Parse(JsonElement root, string body)
    {
        var messages = new List<FakeChatMessage>();
        foreach (var m in root.GetProperty("messages").EnumerateArray())
        {
            string role = m.GetProperty("role").GetString() ?? string.Empty;
            string content = string.Empty;
            if (m.TryGetProperty("content", out var c))
            {
                content = c.ValueKind switch
                {
                    JsonValueKind.String => c.GetString() ?? string.Empty,
                    JsonValueKind.Array => string.Concat(c.EnumerateArray().Where(p => p.TryGetProperty("text", out _)).Select(p => p.GetProperty("text").GetString())),
                    _ => string.Empty,
                };
            }

            var calls = new List<FakeToolCall>();
            if (m.TryGetProperty("tool_calls", out var tc) && tc.ValueKind == JsonValueKind.Array)
            {
                foreach (var call in tc.EnumerateArray())
                {
                    var f = call.GetProperty("function");
                    calls.Add(new FakeToolCall(call.GetProperty("id").GetString()!, f.GetProperty("name").GetString()!, f.GetProperty("arguments").GetString() ?? "{}"));
                }
            }

            string? toolCallId = m.TryGetProperty("tool_call_id", out var id) ? id.GetString() : null;
            messages.Add(new FakeChatMessage(role, content, calls, toolCallId));
        }

        var tools = new List<string>();
        if (root.TryGetProperty("tools", out var t) && t.ValueKind == JsonValueKind.Array)
        {
            tools.AddRange(t.EnumerateArray().Select(x => x.GetProperty("function").GetProperty("name").GetString()!));
        }

        bool stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        return new FakeChatRequest(root.TryGetProperty("model", out var model) ? model.GetString() ?? string.Empty : string.Empty, messages, tools, stream, body);
    }
}
