using Agents.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Agents.Planners.Tests.DeepResearch;

/// <summary>A tiny local "web" on 127.0.0.1: two pages per topic and a search JSON API.</summary>
internal sealed class LocalWeb : IAsyncDisposable
{
    private LoopbackApp? _server;

    private LocalWeb()
    {
    }

    public Uri BaseUri => _server!.BaseAddress;

    /// <summary>Called with the page name before a page is served.</summary>
    public Action<string>? OnPage { get; set; }

    public List<string> PageRequests { get; } = [];

    public static async Task<LocalWeb> StartAsync()
    {
        var web = new LocalWeb();
        web._server = await LoopbackApp.StartAsync(app =>
        {
            app.MapGet("/search", (string q) =>
            {
                var topic = q.Split(' ')[0].ToLowerInvariant();
                return Results.Json(Enumerable.Range(1, 2).Select(i => new
                {
                    title = $"{topic} report {i}",
                    url = new Uri(web.BaseUri, $"/pages/{topic}-{i}").ToString(),
                    snippet = $"About {topic} ({i}).",
                }));
            });
            app.MapGet("/pages/{name}", (string name) =>
            {
                lock (web.PageRequests)
                {
                    web.PageRequests.Add(name);
                }

                web.OnPage?.Invoke(name);
                var topic = name.Split('-')[0];
                return Results.Content($"<html><head><title>{topic} report</title></head><body><p>{topic} capacity figure {name}: 42 GW.</p></body></html>", "text/html");
            });
        });
        return web;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
