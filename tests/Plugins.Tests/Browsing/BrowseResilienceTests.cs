using System.Collections.Concurrent;
using Agents.Plugins.Resilience;
using Microsoft.Extensions.Time.Testing;

namespace Agents.Plugins.Tests.Browsing;

/// <summary>The resilience pipeline of page reads, against Kestrel servers on 127.0.0.1 that fail.</summary>
public sealed class BrowseResilienceTests
{
    private const string Article = "<html><head><title>Herons</title></head><body><article><p>Grey herons nest in colonies called heronries near open water.</p></article></body></html>";

    private static readonly WebAccessOptions Loopback = new() { AllowLoopback = true };

    [Fact]
    public async Task A_503_then_200_recovers()
    {
        await using var server = await FlakyServer(failures: 1);
        using var fetcher = new HttpPageFetcher(Fast(), Loopback);

        var page = await fetcher.FetchAsync(server.Url("a"), CancellationToken.None);

        Assert.Equal(200, page.StatusCode);
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task Retry_after_is_honoured()
    {
        var time = new FakeTimeProvider();
        var stamps = new ConcurrentQueue<DateTimeOffset>();
        await using var server = await LocalServer.StartAsync(async context =>
        {
            stamps.Enqueue(time.GetUtcNow());
            if (stamps.Count == 1)
            {
                context.Response.StatusCode = 503;
                context.Response.Headers.RetryAfter = "30";
                return;
            }

            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync(Article);
        });
        var options = Fast(r => { r.AttemptTimeout = TimeSpan.FromDays(1); r.MaxRetryAfter = TimeSpan.FromMinutes(1); });
        options.Timeout = TimeSpan.FromHours(1);
        using var fetcher = new HttpPageFetcher(options, Loopback, time);

        var read = fetcher.FetchAsync(server.Url("a"), CancellationToken.None);
        for (var i = 0; i < 2000 && !read.IsCompleted; i++)
        {
            if (stamps.Count == 1)
            {
                time.Advance(TimeSpan.FromSeconds(1));
            }

            await Task.Delay(5);
        }

        Assert.Equal(200, (await read).StatusCode);
        var both = stamps.ToArray();
        Assert.Equal(2, both.Length);
        Assert.True(both[1] - both[0] >= TimeSpan.FromSeconds(30), $"the retry came {both[1] - both[0]} after the 503 that asked for 30 s");
    }

    [Fact]
    public async Task A_retry_after_beyond_the_limit_is_not_waited_for()
    {
        await using var server = await LocalServer.StartFailingAsync(503, response => response.Headers.RetryAfter = "3600");
        using var fetcher = new HttpPageFetcher(Fast(), Loopback);

        var ex = await Assert.ThrowsAsync<PageFetchException>(() => fetcher.FetchAsync(server.Url("a"), CancellationToken.None));

        Assert.Contains("HTTP 503", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task The_circuit_opens_after_repeated_failures_with_a_clear_tool_error_for_that_host_only()
    {
        await using var failing = await FlakyServer(failures: int.MaxValue);
        await using var healthy = await FlakyServer(failures: 0);
        using var fetcher = new HttpPageFetcher(Fast(r => { r.MaxRetryAttempts = 0; r.BreakerMinimumThroughput = 2; r.BreakerFailureRatio = 1; }), Loopback);
        var plugin = new BrowserPlugin(fetcher);

        Assert.Contains("HTTP 503", await plugin.BrowseAsync([failing.Url("a").AbsoluteUri], "g"), StringComparison.Ordinal);
        Assert.Contains("HTTP 503", await plugin.BrowseAsync([failing.Url("b").AbsoluteUri], "g"), StringComparison.Ordinal);
        var open = await plugin.BrowseAsync([failing.Url("c").AbsoluteUri, healthy.Url("d").AbsoluteUri], "g");

        Assert.Contains("127.0.0.1 is not read for about 30 s: its last requests failed repeatedly (circuit open)", open, StringComparison.Ordinal);
        Assert.Contains("no budget was spent", open, StringComparison.Ordinal);
        Assert.Contains("Grey herons", open, StringComparison.Ordinal);
        Assert.Equal(2, failing.RequestCount);
        Assert.Equal(1, healthy.RequestCount);
    }

    [Fact]
    public async Task The_address_guard_checks_every_retry()
    {
        await using var server = await FlakyServer(failures: 1);
        var loopback = new[] { IPAddress.Loopback };
        var rebound = new[] { IPAddress.Parse("10.0.0.1") };
        var guard = new UrlGuard(Loopback, (_, _) => Task.FromResult(server.RequestCount == 0 ? loopback : rebound));
        using var fetcher = new HttpPageFetcher(Fast(), guard, null, null);

        var ex = await Assert.ThrowsAsync<PageFetchException>(() => fetcher.FetchAsync(new Uri($"http://site.test:{server.BaseAddress.Port}/a"), CancellationToken.None));

        Assert.Contains("refused", ex.Message, StringComparison.Ordinal);
        Assert.Contains("10.0.0.1", ex.Message, StringComparison.Ordinal);
        Assert.False(ex.RefusedBeforeFetch);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Turned_off_a_503_is_not_retried()
    {
        await using var server = await FlakyServer(failures: 1);
        using var fetcher = new HttpPageFetcher(Fast(r => r.Enabled = false), Loopback);

        var ex = await Assert.ThrowsAsync<PageFetchException>(() => fetcher.FetchAsync(server.Url("a"), CancellationToken.None));

        Assert.Contains("HTTP 503", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public void Resilience_is_on_by_default_and_bad_values_name_the_option()
    {
        Assert.True(new HttpPageFetcherOptions().Resilience.Enabled);
        Assert.Equal(2, new HttpPageFetcherOptions().Resilience.MaxRetryAttempts);
        Assert.True(new PlaywrightBrowserOptions().Resilience.Enabled);

        var ex = Assert.Throws<OptionsValidationException>(() => new HttpPageFetcher(Fast(r => r.MaxRetryAttempts = 11), Loopback));
        Assert.Contains("HttpPageFetcherOptions.Resilience.MaxRetryAttempts", ex.Message, StringComparison.Ordinal);
        var playwright = new PlaywrightBrowserOptions();
        playwright.Resilience.BreakerFailureRatio = 0;
        Assert.Contains("PlaywrightBrowserOptions.Resilience.BreakerFailureRatio", Assert.Throws<OptionsValidationException>(playwright.Validate).Message, StringComparison.Ordinal);
    }

    /// <summary>Page-read options with millisecond backoff, so tests do not wait.</summary>
    internal static HttpPageFetcherOptions Fast(Action<HttpResilienceOptions>? configure = null)
    {
        var options = new HttpPageFetcherOptions();
        options.Resilience.BaseDelay = TimeSpan.FromMilliseconds(1);
        options.Resilience.MaxDelay = TimeSpan.FromMilliseconds(10);
        configure?.Invoke(options.Resilience);
        return options;
    }

    /// <summary>A server whose first <paramref name="failures"/> requests get HTTP 503, then the article.</summary>
    internal static Task<LocalServer> FlakyServer(int failures) => LocalServer.StartFailingFirstAsync(failures, 503, Article, "text/html");
}
