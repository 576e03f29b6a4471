using System.Text;

namespace Agents.Plugins.Tests.Search;

/// <summary>How a search API client reads answer bodies: capped, with or without a Content-Length, and a UTF-8 BOM allowed.</summary>
public sealed class SearchResponseBodyTests
{
    private static SearxngSearchEngine Engine(LocalServer server)
    {
        var options = new SearxngSearchOptions { BaseAddress = server.BaseAddress };
        SearxngSearchEngineTests.Fast(options.Resilience);
        options.Resilience.MaxRetryAttempts = 0;
        return new SearxngSearchEngine(new HttpClient(), options);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_the_cap_is_refused_whether_announced_or_streamed(bool announce)
    {
        var chunk = Encoding.ASCII.GetBytes(new string(' ', 64 * 1024));
        int total = SearchHttpClient.MaxResponseBytes + chunk.Length;
        await using var server = await LocalServer.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "application/json";
            if (announce)
            {
                ctx.Response.ContentLength = total;
            }

            for (int sent = 0; sent < total; sent += chunk.Length)
            {
                await ctx.Response.Body.WriteAsync(chunk);
            }
        });

        var ex = await Assert.ThrowsAsync<SearchEngineException>(() => Engine(server).SearchAsync("q", 5, default));

        Assert.Contains($"more than {SearchHttpClient.MaxResponseBytes} bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_with_a_utf8_byte_order_mark_is_read()
    {
        await using var server = await LocalServer.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "application/json";
            await ctx.Response.Body.WriteAsync(Encoding.UTF8.GetPreamble());
            await ctx.Response.WriteAsync(SearxngSearchEngineTests.ResultsJson);
        });

        var hits = await Engine(server).SearchAsync("q", 10, default);

        Assert.Equal(3, hits.Count);
    }
}
