using System.Net;
using Agents.Plugins.Browsing;
using Agents.Plugins.Security;
using Agents.Plugins.Tests.TestSupport;
using Microsoft.AspNetCore.Http;

namespace Agents.Plugins.Tests.Browsing;

/// <summary>
/// Issue 12 items 1 and 2: real Chromium reaches only addresses the guard checked. Forbidden targets are raw
/// TCP listeners that count accepted connections, so a connection that is opened and dropped still counts.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class ChromiumIsolationTests(ChromiumFixture fixture) : IAsyncLifetime
{
    private const int Attempts = 5;
    private const string PageText = "The northern bald ibis is a migratory bird found in barren semi-desert and rocky habitats.";

    private LocalServer _site = null!;

    public async Task InitializeAsync() => _site = await LocalServer.StartAsync(HandleAsync);

    public async Task DisposeAsync() => await _site.DisposeAsync();

    /// <summary>Only the allowed site's address literal is allow-listed; loopback as such is not.</summary>
    private static WebAccessOptions SiteOnly() => new() { AllowedHosts = { "127.0.0.1" } };

    [Theory]
    [InlineData("127.0.0.2")]
    [InlineData("localhost")]
    public async Task Redirect_to_a_refused_host_never_opens_a_connection(string host)
    {
        var address = host == "127.0.0.2" ? IPAddress.Parse("127.0.0.2") : IPAddress.Loopback;
        await using var forbidden = new RawListener(address);
        var target = $"http://{host}:{forbidden.Port}/secret";
        for (var i = 0; i < Attempts; i++)
        {
            await using var fetcher = await fixture.Browser.CreateFetcherAsync(SiteOnly());
            var ex = await Assert.ThrowsAsync<PageFetchException>(() => fetcher.FetchAsync(_site.Url("to?url=" + Uri.EscapeDataString(target)), default));
            Assert.Contains($"refused a redirect to {target}", ex.Message);
            Assert.Contains("not allowed", ex.Message);
        }

        await SettleAsync();
        Assert.Equal(0, forbidden.Accepted);
    }

    [Fact]
    public async Task Subresources_and_hints_pointing_at_refused_addresses_never_reach_them()
    {
        await using var other = new RawListener(IPAddress.Parse("127.0.0.2"));
        await using var named = new RawListener(IPAddress.Loopback);
        var targets = new[] { $"http://127.0.0.2:{other.Port}", $"http://localhost:{named.Port}" };
        for (var i = 0; i < Attempts; i++)
        {
            await using var fetcher = await fixture.Browser.CreateFetcherAsync(SiteOnly());
            var page = await fetcher.FetchAsync(_site.Url("subresources?targets=" + Uri.EscapeDataString(string.Join(' ', targets))), default);
            var html = System.Text.Encoding.UTF8.GetString(page.Body.Span);
            Assert.Contains(PageText, html);
            Assert.Contains("script ran", html);
            Assert.DoesNotContain(RawListener.Marker, html);
        }

        await SettleAsync();
        Assert.Equal(0, other.Accepted);
        Assert.Equal(0, named.Accepted);
    }

    /// <summary>Gives a late, asynchronous connection attempt (a preconnect) the chance to arrive before counting.</summary>
    private static Task SettleAsync() => Task.Delay(TimeSpan.FromMilliseconds(300));

    private static async Task HandleAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "/";
        switch (path)
        {
            case "/to":
                ctx.Response.Redirect(ctx.Request.Query["url"].ToString());
                break;
            case "/page":
                ctx.Response.ContentType = "text/html; charset=utf-8";
                await ctx.Response.WriteAsync($"<html><head><title>Ibis</title></head><body><article><h1>Ibis</h1><p>{PageText}</p></article></body></html>");
                break;
            case "/subresources":
                var tags = new System.Text.StringBuilder();
                foreach (var target in ctx.Request.Query["targets"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var ws = target.Replace("http", "ws", StringComparison.Ordinal);
                    var redirected = Uri.EscapeDataString(target + "/redirected.png");
                    tags.Append($$"""
                        <link rel="preconnect" href="{{target}}"><link rel="dns-prefetch" href="{{target}}"><link rel="prefetch" href="{{target}}/prefetch">
                        <link rel="stylesheet" href="{{target}}/style.css"><img src="{{target}}/pixel.png"><script src="{{target}}/script.js"></script>
                        <iframe src="{{target}}/frame.html"></iframe><img src="/to?url={{redirected}}">
                        <script>fetch('{{target}}/api').catch(() => {}); navigator.sendBeacon && navigator.sendBeacon('{{target}}/beacon', 'x');
                        try { new WebSocket('{{ws}}/ws'); } catch (e) {}
                        try { new EventSource('{{target}}/events'); } catch (e) {}</script>
                        """);
                }

                ctx.Response.ContentType = "text/html; charset=utf-8";
                await ctx.Response.WriteAsync($"""
                    <html><head><title>Ibis</title>{tags}</head><body><article><h1>Ibis</h1><p>{PageText}</p><p id="s"></p></article>
                    <script>document.getElementById('s').textContent = 'script ran';</script></body></html>
                    """);
                break;
            default:
                ctx.Response.StatusCode = 404;
                break;
        }
    }
}
