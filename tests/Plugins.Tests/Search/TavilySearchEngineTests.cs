using System.Text.Json;

namespace Agents.Plugins.Tests.Search;

public sealed class TavilySearchEngineTests
{
    private const string Json = """
        {"query":"lucene","answer":null,"results":[
          {"title":"Lucene.NET","url":"https://lucenenet.apache.org/","content":"Search library","score":0.9,"raw_content":null,"published_date":"2024-06-01"},
          {"title":"","url":"https://example.com/x","content":"untitled","score":0.1}
        ],"response_time":0.5}
        """;

    private static TavilySearchEngine Create(LocalServer server, ILoggerFactory? loggerFactory = null)
    {
        var options = new TavilySearchOptions { ApiKey = "tvly-abc", Endpoint = server.Url("search") };
        SearxngSearchEngineTests.Fast(options.Resilience);
        return new TavilySearchEngine(new HttpClient(), options, loggerFactory: loggerFactory);
    }

    [Fact]
    public async Task Sends_bearer_and_moves_site_operators_to_include_domains()
    {
        string? auth = null;
        JsonDocument? body = null;
        await using var server = await LocalServer.StartAsync(async ctx =>
        {
            auth = ctx.Request.Headers.Authorization;
            body = await JsonDocument.ParseAsync(ctx.Request.Body);
            await ctx.Response.WriteAsync(Json);
        });
        var engine = Create(server);

        var hits = await engine.SearchAsync("lucene site:apache.org -site:spam.com index", 5, default);

        Assert.Equal("Bearer tvly-abc", auth);
        var root = body!.RootElement;
        Assert.Equal("lucene index", root.GetProperty("query").GetString());
        Assert.Equal("apache.org", root.GetProperty("include_domains")[0].GetString());
        Assert.Equal("spam.com", root.GetProperty("exclude_domains")[0].GetString());
        Assert.Equal(5, root.GetProperty("max_results").GetInt32());
        Assert.Equal(2, hits.Count);
        Assert.Equal("Lucene.NET", hits[0].Title);
        Assert.Equal("example.com", hits[1].Title);
        Assert.Equal("tavily", hits[0].Engine);
        Assert.Equal(2024, hits[0].PublishedAt?.Year);
    }

    [Fact]
    public async Task Query_of_only_site_operators_is_refused()
    {
        var engine = new TavilySearchEngine(new HttpClient(), new TavilySearchOptions { ApiKey = "k", Endpoint = new Uri("http://127.0.0.1:1/") });
        var ex = await Assert.ThrowsAsync<SearchEngineException>(() => engine.SearchAsync("site:example.com", 5, default));
        Assert.Contains("site:", ex.Message);
    }

    [Fact]
    public void Split_site_operators_keeps_other_words()
    {
        var (text, include, exclude) = TavilySearchEngine.SplitSiteOperators("a SITE:x.org b -site:y.org/ c");
        Assert.Equal("a b c", text);
        Assert.Equal(["x.org"], include);
        Assert.Equal(["y.org"], exclude);
    }

    [Theory]
    [InlineData(null, "basic", "general", "ApiKey")]
    [InlineData("k", "deep", "general", "SearchDepth")]
    [InlineData("k", "basic", "sports", "Topic")]
    public void Invalid_options_name_the_option(string? key, string depth, string topic, string option)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new TavilySearchEngine(new HttpClient(), new TavilySearchOptions { ApiKey = key, SearchDepth = depth, Topic = topic }));
        Assert.Contains("TavilySearchOptions." + option, ex.Message);
    }

    [Fact]
    public async Task Logs_retries_through_the_given_logger_factory()
    {
        await using var server = await LocalServer.StartFailingFirstAsync(1, 500, Json);
        var loggers = new ListLoggerFactory();

        var hits = await Create(server, loggers).SearchAsync("lucene", 5, default);

        Assert.Equal(2, hits.Count);
        var entry = Assert.Single(loggers.For<TavilySearchEngine>());
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Contains(": attempt 1 failed (500); retrying in ", entry.Message, StringComparison.Ordinal);
    }
}
