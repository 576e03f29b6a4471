using System.Collections.Concurrent;
using System.Text.Json;
using Agents.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Agents.Hosting.Tests.Fakes;

/// <summary>
/// An OpenAI-compatible <c>/v1/chat/completions</c> on 127.0.0.1 (Kestrel) whose answer to the n-th request (from 1)
/// the callback decides: a status code and optional <c>Retry-After</c> seconds; 200 answers "hello".
/// </summary>
internal sealed class ScriptedModelServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _bodies = new();
    private LoopbackApp _app = null!;
    private int _count;

    private ScriptedModelServer()
    {
    }

    public Uri Endpoint => _app.Url("v1");

    public int Count => Volatile.Read(ref _count);

    public IReadOnlyList<string> Bodies => [.. _bodies];

    public static async Task<ScriptedModelServer> StartAsync(Func<int, (int Status, int? RetryAfterSeconds)> script)
    {
        var server = new ScriptedModelServer();
        server._app = await LoopbackApp.StartAsync(app => app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            server._bodies.Enqueue(await reader.ReadToEndAsync());
            var (status, retryAfter) = script(Interlocked.Increment(ref server._count));
            context.Response.StatusCode = status;
            if (retryAfter is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            context.Response.ContentType = "application/json";
            if (status != 200)
            {
                await context.Response.WriteAsync("""{"error":{"message":"scripted failure","type":"rate_limit_error"}}""");
                return;
            }

            using var doc = JsonDocument.Parse(server._bodies.Last());
            var model = doc.RootElement.GetProperty("model").GetString();
            await context.Response.WriteAsync(JsonSerializer.Serialize(new
            {
                id = "chatcmpl-1",
                @object = "chat.completion",
                created = 1_700_000_000,
                model,
                choices = new[] { new { index = 0, message = new { role = "assistant", content = "hello" }, finish_reason = "stop" } },
                usage = new { prompt_tokens = 10, completion_tokens = 2, total_tokens = 12 },
            }));
        }));
        return server;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
