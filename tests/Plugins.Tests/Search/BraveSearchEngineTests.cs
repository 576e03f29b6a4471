using Agents.Plugins.Resilience;
using Microsoft.Extensions.Time.Testing;

namespace Agents.Plugins.Tests.Search;

public sealed class BraveSearchEngineTests
{
    private const string Json = """
        {"type":"search","query":{"original":"dotnet polly"},
         "web":{"type":"search","results":[
           {"title":"<strong>Polly</strong> docs","url":"https://www.pollydocs.org/","description":"Resilience for <strong>.NET</strong> &amp; more","age":"2 days ago","page_age":"2025-01-02T03:04:05","language":"en","meta_url":{"hostname":"www.pollydocs.org"},"extra_snippets":["x"]},
           {"title":"Other","url":"https://github.com/App-vNext/Polly","description":"GitHub"}
         ]}}
        """;

    private static BraveSearchEngine Create(LocalServer server, ILoggerFactory? loggerFactory = null)
    {
        var options = new BraveSearchOptions { ApiKey = "secret-token", Endpoint = server.Url("res/v1/web/search") };
        SearxngSearchEngineTests.Fast(options.Resilience);
        return new BraveSearchEngine(new HttpClient(), options, loggerFactory: loggerFactory);
    }

    /// <summary>Answers <see cref="Json"/> with rate-limit headers that say no request is left in the current window.</summary>
    private static Task NearlySpentAsync(HttpResponse response)
    {
        response.Headers["X-RateLimit-Limit"] = "1, 15000";
        response.Headers["X-RateLimit-Remaining"] = "0, 14999";
        response.Headers["X-RateLimit-Reset"] = "1, 2000000";
        return response.WriteAsync(Json);
    }

    [Fact]
    public async Task Sends_token_and_strips_strong_tags()
    {
        string? token = null, query = null;
        await using var server = await LocalServer.StartAsync(async ctx =>
        {
            token = ctx.Request.Headers["X-Subscription-Token"];
            query = ctx.Request.QueryString.Value;
            await NearlySpentAsync(ctx.Response);
        });

        var hits = await Create(server).SearchAsync("dotnet polly", 30, default);

        Assert.Equal("secret-token", token);
        Assert.Contains("q=dotnet%20polly", query);
        Assert.Contains("count=20", query);
        Assert.Equal(2, hits.Count);
        Assert.Equal("Polly docs", hits[0].Title);
        Assert.Equal("Resilience for .NET & more", hits[0].Snippet);
        Assert.Equal("brave", hits[0].Engine);
        Assert.Equal(2025, hits[0].PublishedAt?.Year);
    }

    [Fact]
    public async Task Rate_limit_429_waits_for_reset_header_then_succeeds()
    {
        await using var server = await LocalServer.StartFailingFirstAsync(1, 429, Json, failed: response =>
        {
            response.Headers["X-RateLimit-Remaining"] = "0, 10";
            response.Headers["X-RateLimit-Reset"] = "0, 100";
        });
        var hits = await Create(server).SearchAsync("q", 5, default);
        Assert.Equal(2, hits.Count);
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task Bad_key_is_a_clear_error_without_retries()
    {
        await using var server = await LocalServer.StartFailingAsync(401);
        var ex = await Assert.ThrowsAsync<SearchEngineException>(() => Create(server).SearchAsync("q", 5, default));
        Assert.Contains("API key", ex.Message);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Response_without_web_section_is_empty()
    {
        await using var server = await LocalServer.StartAsync(ctx => ctx.Response.WriteAsync("""{"type":"search","query":{}}"""));
        Assert.Empty(await Create(server).SearchAsync("q", 5, default));
    }

    [Fact]
    public async Task Overlong_query_is_refused_before_sending()
    {
        await using var server = await LocalServer.StartAsync(ctx => ctx.Response.WriteAsync(Json));
        var ex = await Assert.ThrowsAsync<SearchEngineException>(() => Create(server).SearchAsync(new string('a', 401), 5, default));
        Assert.Contains("400", ex.Message);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public void Missing_key_names_the_option()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new BraveSearchEngine(new HttpClient(), new BraveSearchOptions()));
        Assert.Contains("BraveSearchOptions.ApiKey", ex.Message);
    }

    [Fact]
    public void Bad_safesearch_names_the_option()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new BraveSearchEngine(new HttpClient(), new BraveSearchOptions { ApiKey = "k", SafeSearch = "maybe" }));
        Assert.Contains("BraveSearchOptions.SafeSearch", ex.Message);
    }

    [Fact]
    public void Server_delay_reads_retry_after_seconds_dates_and_rate_limit_reset()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var seconds = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests);
        seconds.Headers.Add("Retry-After", "7");
        Assert.Equal(TimeSpan.FromSeconds(7), HttpResilience.ServerDelay(seconds, time));

        using var date = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests);
        date.Headers.Add("Retry-After", "Thu, 01 Jan 2026 00:00:30 GMT");
        Assert.Equal(TimeSpan.FromSeconds(30), HttpResilience.ServerDelay(date, time));

        using var reset = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests);
        reset.Headers.Add("X-RateLimit-Remaining", "0, 5");
        reset.Headers.Add("X-RateLimit-Reset", "3, 900");
        Assert.Equal(TimeSpan.FromSeconds(3), HttpResilience.ServerDelay(reset, time));

        using var none = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests);
        none.Headers.Add("X-RateLimit-Remaining", "4, 5");
        none.Headers.Add("X-RateLimit-Reset", "3, 900");
        Assert.Null(HttpResilience.ServerDelay(none, time));
    }

    [Fact]
    public async Task Logs_a_nearly_spent_rate_limit_through_the_given_logger_factory()
    {
        await using var server = await LocalServer.StartAsync(ctx => NearlySpentAsync(ctx.Response));
        var loggers = new ListLoggerFactory();

        await Create(server, loggers).SearchAsync("q", 5, default);

        var entry = Assert.Single(loggers.For<BraveSearchEngine>());
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.StartsWith("brave: 0 requests left in the current window", entry.Message, StringComparison.Ordinal);
    }
}
