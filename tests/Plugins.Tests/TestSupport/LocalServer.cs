using Agents.Tests.Shared;
using Microsoft.AspNetCore.Builder;

namespace Agents.Plugins.Tests.TestSupport;

/// <summary>A Kestrel server on 127.0.0.1 with a random port, driven by one request callback.</summary>
public sealed class LocalServer : IAsyncDisposable
{
    private LoopbackApp _app = null!;
    private int _requests;

    private LocalServer()
    {
    }

    public Uri BaseAddress => _app.BaseAddress;

    public int RequestCount => Volatile.Read(ref _requests);

    public System.Collections.Concurrent.ConcurrentQueue<string> Paths { get; } = new();

    public static async Task<LocalServer> StartAsync(Func<HttpContext, Task> handler)
    {
        var server = new LocalServer();
        server._app = await LoopbackApp.StartAsync(app => app.Run(async context =>
        {
            Interlocked.Increment(ref server._requests);
            server.Paths.Enqueue(context.Request.Path.Value ?? "/");
            await handler(context);
        }));
        return server;
    }

    /// <summary>
    /// Starts a server whose first <paramref name="failures"/> requests get <paramref name="status"/> and no body (with
    /// the headers <paramref name="failed"/> sets), and every later one <paramref name="body"/>.
    /// </summary>
    public static Task<LocalServer> StartFailingFirstAsync(int failures, int status, string body, string? contentType = null, Action<HttpResponse>? failed = null)
    {
        int count = 0;
        return StartAsync(async context =>
        {
            if (Interlocked.Increment(ref count) <= failures)
            {
                context.Response.StatusCode = status;
                failed?.Invoke(context.Response);
                return;
            }

            if (contentType is not null)
            {
                context.Response.ContentType = contentType;
            }

            await context.Response.WriteAsync(body);
        });
    }

    /// <summary>Starts a server that answers every request with <paramref name="status"/> and no body (with the headers <paramref name="failed"/> sets).</summary>
    public static Task<LocalServer> StartFailingAsync(int status, Action<HttpResponse>? failed = null) =>
        StartFailingFirstAsync(int.MaxValue, status, string.Empty, failed: failed);

    public Uri Url(string relative) => _app.Url(relative);

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
