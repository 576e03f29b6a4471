namespace Agents.Plugins.Tests.Search;

public sealed class SearxngSearchEngineTests
{
    internal const string ResultsJson = """
        {"query":"rust async","number_of_results":0,
         "results":[
           {"url":"https://example.org/a","title":"Async <b>Rust</b>","content":"The book &amp; more","engine":"duckduckgo","engines":["duckduckgo","brave"],"score":2.5,"category":"general","publishedDate":"2024-03-01T00:00:00"},
           {"url":"https://example.org/b","title":"Second","content":"two","engine":"bing","score":1.0,"publishedDate":null},
           {"url":"javascript:alert(1)","title":"bad","content":"x","engine":"bing"},
           {"url":"https://example.org/c","title":"Third","content":"three","engine":"bing"}
         ],
         "answers":[],"corrections":[],"infoboxes":[],"suggestions":[],"unresponsive_engines":[]}
        """;

    internal static void Fast(SearchResilienceOptions r)
    {
        r.BaseDelay = TimeSpan.FromMilliseconds(5);
        r.MaxDelay = TimeSpan.FromMilliseconds(20);
        r.AttemptTimeout = TimeSpan.FromSeconds(5);
    }

    private static SearxngSearchEngine Create(LocalServer server, Action<SearxngSearchOptions>? configure = null, ILoggerFactory? loggerFactory = null)
    {
        var options = new SearxngSearchOptions { BaseAddress = server.BaseAddress };
        Fast(options.Resilience);
        configure?.Invoke(options);
        return new SearxngSearchEngine(new HttpClient(), options, loggerFactory: loggerFactory);
    }

    [Fact]
    public async Task Parses_results_and_sends_json_query()
    {
        string? seenQuery = null;
        await using var server = await LocalServer.StartAsync(async ctx =>
        {
            seenQuery = ctx.Request.Path + ctx.Request.QueryString;
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(ResultsJson);
        });
        var engine = Create(server, o => o.Categories = "general");

        var hits = await engine.SearchAsync("rust async", 10, default);

        Assert.Equal(3, hits.Count);
        Assert.Equal("Async Rust", hits[0].Title);
        Assert.Equal("The book & more", hits[0].Snippet);
        Assert.Equal("searxng:duckduckgo", hits[0].Engine);
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero), hits[0].PublishedAt);
        Assert.Null(hits[1].PublishedAt);
        Assert.Equal("https://example.org/c", hits[2].Url.AbsoluteUri);
        Assert.StartsWith("/search?q=rust%20async&format=json", seenQuery);
        Assert.Contains("categories=general", seenQuery);
    }

    [Fact]
    public async Task Respects_max_results()
    {
        await using var server = await LocalServer.StartAsync(ctx => ctx.Response.WriteAsync(ResultsJson));
        var hits = await Create(server).SearchAsync("q", 1, default);
        Assert.Single(hits);
    }

    [Fact]
    public async Task Json_disabled_403_says_how_to_fix()
    {
        await using var server = await LocalServer.StartFailingAsync(403);
        var ex = await Assert.ThrowsAsync<SearchEngineException>(() => Create(server).SearchAsync("q", 5, default));
        Assert.Contains("search.formats", ex.Message);
        Assert.Equal(HttpStatusCode.Forbidden, ex.StatusCode);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Retries_429_honouring_retry_after_then_succeeds()
    {
        await using var server = await LocalServer.StartFailingFirstAsync(1, 429, ResultsJson, failed: response => response.Headers.RetryAfter = "1");
        var hits = await Create(server).SearchAsync("q", 5, default);
        Assert.Equal(3, hits.Count);
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task Retry_after_longer_than_allowed_is_not_waited_for()
    {
        await using var server = await LocalServer.StartFailingAsync(429, response => response.Headers.RetryAfter = "3600");
        var ex = await Assert.ThrowsAsync<SearchEngineException>(() => Create(server).SearchAsync("q", 5, default));
        Assert.Contains("429", ex.Message);
        Assert.Contains("3600", ex.Message);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Burst_of_500s_is_retried()
    {
        await using var server = await LocalServer.StartFailingFirstAsync(2, 500, ResultsJson);
        var hits = await Create(server).SearchAsync("q", 5, default);
        Assert.Equal(3, hits.Count);
        Assert.Equal(3, server.RequestCount);
    }

    [Fact]
    public async Task Persistent_500s_fail_clearly_then_open_the_breaker()
    {
        await using var server = await LocalServer.StartFailingAsync(503);
        var engine = Create(server, o =>
        {
            o.Resilience.MaxRetryAttempts = 2;
            o.Resilience.BreakerMinimumThroughput = 3;
        });

        var first = await Assert.ThrowsAsync<SearchEngineException>(() => engine.SearchAsync("q", 5, default));
        Assert.Contains("503", first.Message);
        Assert.Equal(3, server.RequestCount);

        var second = await Assert.ThrowsAsync<SearchEngineException>(() => engine.SearchAsync("q", 5, default));
        Assert.Contains("temporarily disabled", second.Message);
        Assert.Equal(3, server.RequestCount);
    }

    [Fact]
    public async Task Empty_results_with_unresponsive_engines_explains_throttling()
    {
        await using var server = await LocalServer.StartAsync(ctx => ctx.Response.WriteAsync(
            """{"query":"q","number_of_results":0,"results":[],"unresponsive_engines":[["google","too many requests"],["bing","timeout"]]}"""));
        var ex = await Assert.ThrowsAsync<SearchEngineException>(() => Create(server).SearchAsync("q", 5, default));
        Assert.Contains("google (too many requests)", ex.Message);
        Assert.Contains("throttled", ex.Message);
    }

    [Fact]
    public async Task Empty_results_without_unresponsive_engines_is_an_empty_list()
    {
        await using var server = await LocalServer.StartAsync(ctx => ctx.Response.WriteAsync("""{"query":"q","results":[],"unresponsive_engines":[]}"""));
        Assert.Empty(await Create(server).SearchAsync("q", 5, default));
    }

    [Fact]
    public async Task Malformed_json_is_a_clear_error()
    {
        await using var server = await LocalServer.StartAsync(ctx => ctx.Response.WriteAsync("{\"results\": [ {\"url\": "));
        var ex = await Assert.ThrowsAsync<SearchEngineException>(() => Create(server).SearchAsync("q", 5, default));
        Assert.Contains("malformed JSON", ex.Message);
    }

    [Fact]
    public async Task Slow_server_times_out_per_attempt()
    {
        await using var server = await LocalServer.StartAsync(async ctx =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), ctx.RequestAborted);
            await ctx.Response.WriteAsync(ResultsJson);
        });
        var engine = Create(server, o =>
        {
            o.Resilience.AttemptTimeout = TimeSpan.FromMilliseconds(150);
            o.Resilience.MaxRetryAttempts = 1;
        });
        var ex = await Assert.ThrowsAsync<SearchEngineException>(() => engine.SearchAsync("q", 5, default));
        Assert.Contains("did not answer", ex.Message);
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task Cancellation_is_honoured()
    {
        await using var server = await LocalServer.StartAsync(async ctx => await Task.Delay(TimeSpan.FromSeconds(10), ctx.RequestAborted));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Create(server).SearchAsync("q", 5, cts.Token));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("ftp://example.org/")]
    [InlineData("relative/")]
    public void Invalid_base_address_names_the_option(string? address)
    {
        var options = new SearxngSearchOptions { BaseAddress = address is null ? null : new Uri(address, UriKind.RelativeOrAbsolute) };
        var ex = Assert.Throws<OptionsValidationException>(() => new SearxngSearchEngine(new HttpClient(), options));
        Assert.Contains("SearxngSearchOptions.BaseAddress", ex.Message);
    }

    [Fact]
    public void Invalid_resilience_option_names_the_option()
    {
        var options = new SearxngSearchOptions { BaseAddress = new Uri("http://127.0.0.1/") };
        options.Resilience.MaxConcurrentRequests = 0;
        var ex = Assert.Throws<OptionsValidationException>(() => new SearxngSearchEngine(new HttpClient(), options));
        Assert.Contains("SearxngSearchOptions.Resilience.MaxConcurrentRequests", ex.Message);
    }

    [Fact]
    public async Task Empty_query_is_rejected()
    {
        var engine = new SearxngSearchEngine(new HttpClient(), new SearxngSearchOptions { BaseAddress = new Uri("http://127.0.0.1:1/") });
        await Assert.ThrowsAsync<ArgumentException>(() => engine.SearchAsync(" ", 5, default));
    }

    [Fact]
    public async Task Logs_unresponsive_engines_through_the_given_logger_factory()
    {
        await using var server = await LocalServer.StartAsync(ctx => ctx.Response.WriteAsync(
            """{"query":"q","number_of_results":0,"results":[],"unresponsive_engines":[["google","too many requests"]]}"""));
        var loggers = new ListLoggerFactory();
        var engine = Create(server, loggerFactory: loggers);

        await Assert.ThrowsAsync<SearchEngineException>(() => engine.SearchAsync("q", 5, default));

        var entry = Assert.Single(loggers.For<SearxngSearchEngine>());
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Equal("searxng: no results; unresponsive engines: google (too many requests)", entry.Message);
    }
}
