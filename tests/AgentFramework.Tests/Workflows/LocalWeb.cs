using System.Net;
using Agents.Planners.DeepResearch.TestHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Agents.AgentFramework.Tests.Workflows;

/// <summary>A tiny local "web" on 127.0.0.1: two pages per topic and a search JSON API.</summary>
internal sealed class LocalWeb : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalWeb(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    /// <summary>Called with the page name before a page is served.</summary>
    public Action<string>? OnPage { get; set; }

    public List<string> PageRequests { get; } = [];

    public static async Task<LocalWeb> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        LocalWeb? web = null;
        app.MapGet("/search", (string q) =>
        {
            var topic = q.Split(' ')[0].ToLowerInvariant();
            return Results.Json(Enumerable.Range(1, 2).Select(i => new
            {
                title = $"{topic} report {i}",
                url = new Uri(web!.BaseUri, $"/pages/{topic}-{i}").ToString(),
                snippet = $"About {topic} ({i}).",
            }));
        });
        app.MapGet("/pages/{name}", (string name) =>
        {
            lock (web!.PageRequests)
            {
                web.PageRequests.Add(name);
            }

            web.OnPage?.Invoke(name);
            var topic = name.Split('-')[0];
            return Results.Content($"<html><head><title>{topic} report</title></head><body><p>{topic} capacity figure {name}: 42 GW.</p></body></html>", "text/html");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        web = new LocalWeb(app, new Uri(address));
        return web;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
