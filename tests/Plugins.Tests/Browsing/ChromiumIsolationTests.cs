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

    /// <summary>The real resolver, except that <c>internal.test</c> resolves to loopback.</summary>
    private static Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
        => host == "internal.test" ? Task.FromResult(new[] { IPAddress.Loopback }) : Dns.GetHostAddressesAsync(host, cancellationToken);

    [Theory]
    [InlineData("127.0.0.2")]
    [InlineData("localhost")]
    [InlineData("internal.test")]
    public async Task Redirect_to_a_refused_host_never_opens_a_connection(string host)
    {
        var address = host == "127.0.0.2" ? IPAddress.Parse("127.0.0.2") : IPAddress.Loopback;
        await using var forbidden = new RawListener(address);
        var target = $"http://{host}:{forbidden.Port}/secret";
        for (var i = 0; i < Attempts; i++)
        {
            await using var fetcher = await fixture.Browser.CreateGuardedFetcherAsync(new UrlGuard(SiteOnly(), ResolveAsync), default);
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

    [Fact]
    public async Task Dns_rebinding_cannot_move_any_request_of_a_read_off_the_checked_address()
    {
        // The site listens on 127.0.0.1:P; the "internal" service on 127.0.0.2:P. The guard's lookup of
        // rebind.test answers 127.0.0.1, every later lookup 127.0.0.2 (both loopback, which is allowed here,
        // so only pinning keeps requests on the checked address).
        await using var internalService = new RawListener(IPAddress.Parse("127.0.0.2"), _site.BaseAddress.Port);
        for (var i = 0; i < Attempts; i++)
        {
            var lookups = 0;
            var guard = new UrlGuard(new WebAccessOptions { AllowLoopback = true }, (host, _) => Task.FromResult(new[]
            {
                IPAddress.Parse(host == "rebind.test" && Interlocked.Increment(ref lookups) == 1 ? "127.0.0.1" : "127.0.0.2"),
            }));
            await using var fetcher = await fixture.Browser.CreateGuardedFetcherAsync(guard, default);
            var before = _site.RequestCount;

            var page = await fetcher.FetchAsync(new Uri($"http://rebind.test:{_site.BaseAddress.Port}/rebind"), default);

            var html = System.Text.Encoding.UTF8.GetString(page.Body.Span);
            Assert.Contains(PageText, html);
            Assert.Contains("data from the checked address", html);
            Assert.DoesNotContain(RawListener.Marker, html);
            Assert.True(_site.RequestCount - before >= 4, "the page, its image, its script and the script's request come from the checked address");
            Assert.Equal(1, lookups);
        }

        await SettleAsync();
        Assert.Equal(0, internalService.Accepted);
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
            case "/rebind":
                ctx.Response.ContentType = "text/html; charset=utf-8";
                await ctx.Response.WriteAsync($$"""
                    <html><head><title>Ibis</title></head><body><article><h1>Ibis</h1><p>{{PageText}}</p><p id="d">waiting</p><img src="/pixel.png"></article>
                    <script src="/script.js"></script></body></html>
                    """);
                break;
            case "/script.js":
                // A synchronous request, so it is answered before the load event and the read.
                ctx.Response.ContentType = "text/javascript";
                await ctx.Response.WriteAsync("var x = new XMLHttpRequest(); x.open('GET', '/data', false); x.send(); document.getElementById('d').textContent = x.responseText;");
                break;
            case "/data":
                ctx.Response.ContentType = "text/plain";
                await ctx.Response.WriteAsync("data from the checked address");
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
