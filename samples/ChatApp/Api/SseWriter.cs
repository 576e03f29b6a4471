using System.Text.Json;
using Agents.Samples.ChatApp.Agents;
using Microsoft.AspNetCore.Http.Features;

namespace Agents.Samples.ChatApp.Api;

/// <summary>Writes <see cref="AgentEvent"/>s as Server-Sent Events and flushes each one.</summary>
internal sealed class SseWriter
{
    private readonly HttpResponse _response;

    public SseWriter(HttpResponse response) => _response = response;

    public static void Start(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache, no-store";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    public async Task WriteAsync(AgentEvent agentEvent, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(agentEvent, ApiJson.Options);
        await _response.WriteAsync($"event: {agentEvent.EventName}\ndata: {json}\n\n", cancellationToken).ConfigureAwait(false);
        await _response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
