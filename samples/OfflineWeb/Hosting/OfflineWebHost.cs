using System.Net;
using Agents.Samples.OfflineWeb.Search;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Agents.Samples.OfflineWeb.Hosting;

/// <summary>
/// Serves an <see cref="OfflineCorpus"/> with Kestrel on 127.0.0.1 (a free port): pages at <c>/wiki/{id}</c>, a home
/// page at <c>/</c>, and a search endpoint at <c>/search?q=...&amp;format=json</c> that answers in the SearXNG JSON shape
/// (so a SearXNG client can use it as its engine).
/// </summary>
public sealed class OfflineWebHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _pageRequests;
    private long _searchRequests;

    private OfflineWebHost(WebApplication app)
    {
        _app = app;
    }

    /// <summary>The root address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Number of page requests served (including 404s under <c>/wiki/</c>).</summary>
    public long PageRequests => Interlocked.Read(ref _pageRequests);

    /// <summary>Number of search requests served.</summary>
    public long SearchRequests => Interlocked.Read(ref _searchRequests);

    /// <summary>Starts serving <paramref name="corpus"/> on 127.0.0.1 at a free port.</summary>
    /// <param name="corpus">The pages to serve.</param>
    /// <param name="loggerFactory">Optional logging for Kestrel; none by default.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<OfflineWebHost> StartAsync(OfflineCorpus corpus, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(loggerFactory ?? NullLoggerFactory.Instance);
        var app = builder.Build();
        var index = new OfflineSearchIndex(corpus);
        var host = new OfflineWebHost(app);

        app.MapGet("/", (HttpContext context) => WriteHtmlAsync(context, 200, HomePage()));
        app.MapGet("/wiki/{id}", (HttpContext context) =>
        {
            Interlocked.Increment(ref host._pageRequests);
            string path = "/wiki/" + (string?)context.Request.RouteValues["id"];
            return corpus.TryGetPage(path, out var page)
                ? WriteHtmlAsync(context, 200, page.Html)
                : WriteHtmlAsync(context, 404, "<!DOCTYPE html><html><head><title>Not found</title></head><body><h1>Not found</h1><p>No page at this address.</p></body></html>");
        });
        app.MapGet("/search", (HttpContext context) =>
        {
            Interlocked.Increment(ref host._searchRequests);
            return SearchAsync(context, index);
        });

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return host;
    }

    /// <summary>The absolute address of a site-relative path such as <c>/wiki/velora-river</c>.</summary>
    public Uri GetUri(string path) => new(BaseAddress, path);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static string HomePage() =>
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Offline Encyclopedia</title></head><body><main><h1>Offline Encyclopedia</h1>"
        + "<p>An invented encyclopedia of people, cities, companies, countries and rivers. Use the search form to find pages.</p>"
        + "<form action=\"/search\"><input name=\"q\"><input type=\"hidden\" name=\"format\" value=\"json\"><button>Search</button></form></main></body></html>";

    private static async Task WriteHtmlAsync(HttpContext context, int status, string html)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(html, Encoding.UTF8, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task SearchAsync(HttpContext context, OfflineSearchIndex index)
    {
        string? format = context.Request.Query["format"];
        if (!string.IsNullOrEmpty(format) && !string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = 403;
            await context.Response.WriteAsync("Only format=json is enabled on this server.", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        string? query = context.Request.Query["q"];
        if (string.IsNullOrWhiteSpace(query))
        {
            context.Response.StatusCode = 400;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"error\":\"missing query parameter q\"}", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var hits = index.Search(query, 10);
        var root = new Uri(context.Request.Scheme + "://" + context.Request.Host.Value + "/");
        context.Response.ContentType = "application/json; charset=utf-8";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("query", query);
            json.WriteNumber("number_of_results", hits.Count);
            json.WriteStartArray("results");
            foreach (var hit in hits)
            {
                json.WriteStartObject();
                json.WriteString("url", new Uri(root, hit.Path).AbsoluteUri);
                json.WriteString("title", hit.Title);
                json.WriteString("content", hit.Snippet);
                json.WriteString("engine", "offline");
                json.WriteStartArray("engines");
                json.WriteStringValue("offline");
                json.WriteEndArray();
                json.WriteNumber("score", Math.Round(hit.Score, 4));
                json.WriteString("category", "general");
                json.WriteNull("publishedDate");
                json.WriteEndObject();
            }

            json.WriteEndArray();
            foreach (var empty in new[] { "answers", "corrections", "infoboxes", "suggestions", "unresponsive_engines" })
            {
                json.WriteStartArray(empty);
                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }
}
