using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Agents.Samples.ChatApp.Tests.Hosting;

/// <summary>A tiny "web" on 127.0.0.1 for the browse tools: an article page and a page that links to it.</summary>
internal sealed class LocalWebPages : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalWebPages(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public Uri Article => new(BaseAddress, "article");

    public static async Task<LocalWebPages> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.MapGet("/article", () => Results.Content(
            "<!doctype html><html><head><title>The Budget Tracker</title></head><body><main><article>" +
            "<h1>The Budget Tracker</h1><p>BATS was published as arXiv 2511.17006. The tracker shows remaining units after every tool result.</p>" +
            "<p>With ten calls per tool the tracker beat plain ReAct with one hundred calls.</p></article></main></body></html>",
            "text/html; charset=utf-8"));
        await app.StartAsync();
        return new LocalWebPages(app, new Uri(app.Urls.Single() + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
