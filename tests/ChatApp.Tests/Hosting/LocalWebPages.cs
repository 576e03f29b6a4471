using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Agents.Samples.ChatApp.Tests.Hosting;

/// <summary>A tiny "web" on 127.0.0.1 for the browse tools: an article page and a page that links to it.</summary>
internal sealed class LocalWebPages : IAsyncDisposable
{
    private readonly LoopbackApp _app;

    private LocalWebPages(LoopbackApp app) => _app = app;

    public Uri BaseAddress => _app.BaseAddress;

    public Uri Article => _app.Url("article");

    public static async Task<LocalWebPages> StartAsync() => new(await LoopbackApp.StartAsync(app => app.MapGet("/article", () => Results.Content(
            "<!doctype html><html><head><title>The Budget Tracker</title></head><body><main><article>" +
            "<h1>The Budget Tracker</h1><p>BATS was published as arXiv 2511.17006. The tracker shows remaining units after every tool result.</p>" +
            "<p>With ten calls per tool the tracker beat plain ReAct with one hundred calls.</p></article></main></body></html>",
            "text/html; charset=utf-8"))));

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
