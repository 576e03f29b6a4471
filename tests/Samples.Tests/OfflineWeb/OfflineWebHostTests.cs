using System.Net;
using Agents.Samples.OfflineWeb.Hosting;

namespace Agents.Samples.Tests.OfflineWeb;

public sealed class OfflineWebHostTests
{
    private static readonly Agents.Samples.OfflineWeb.World.OfflineCorpus Corpus = new OfflineWebGenerator(new OfflineWebOptions { Questions = 5 }).Generate();

    [Fact]
    public async Task Serves_pages_on_loopback_and_404s_unknown_ones()
    {
        await using var host = await OfflineWebHost.StartAsync(Corpus);
        Assert.Equal("127.0.0.1", host.BaseAddress.Host);
        Assert.NotEqual(0, host.BaseAddress.Port);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        var entity = Corpus.Entities[3];
        using var ok = await http.GetAsync(new Uri("/wiki/" + entity.Id, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("text/html", ok.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<h1>" + entity.Name + "</h1>", await ok.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var missing = await http.GetAsync(new Uri("/wiki/nothing-here", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(2, host.PageRequests);

        using var home = await http.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
    }

    [Fact]
    public async Task Search_answers_in_the_searxng_shape_with_the_named_page_first()
    {
        await using var host = await OfflineWebHost.StartAsync(Corpus);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var entity = Corpus.Entities.First(e => e.Kind == Agents.Samples.OfflineWeb.World.EntityKind.Company);

        string json = await http.GetStringAsync(new Uri("/search?format=json&q=" + Uri.EscapeDataString(entity.Name), UriKind.Relative));
        using var doc = JsonDocument.Parse(json);
        var results = doc.RootElement.GetProperty("results");
        Assert.InRange(results.GetArrayLength(), 1, 10);
        Assert.Equal(entity.Name, doc.RootElement.GetProperty("query").GetString());
        Assert.Equal(host.GetUri("/wiki/" + entity.Id).AbsoluteUri, results[0].GetProperty("url").GetString());
        Assert.Equal(entity.Name, results[0].GetProperty("title").GetString());
        Assert.False(string.IsNullOrWhiteSpace(results[0].GetProperty("content").GetString()));
        Assert.Equal(0, doc.RootElement.GetProperty("unresponsive_engines").GetArrayLength());
        Assert.Equal(1, host.SearchRequests);
    }

    [Fact]
    public async Task Search_rejects_missing_query_and_non_json_format()
    {
        await using var host = await OfflineWebHost.StartAsync(Corpus);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var noQuery = await http.GetAsync(new Uri("/search?format=json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, noQuery.StatusCode);
        Assert.Contains("q", await noQuery.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var html = await http.GetAsync(new Uri("/search?q=river&format=html", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, html.StatusCode);
    }

    [Fact]
    public async Task Two_hosts_get_different_ports_and_a_stopped_host_refuses_connections()
    {
        var first = await OfflineWebHost.StartAsync(Corpus);
        await using var second = await OfflineWebHost.StartAsync(Corpus);
        Assert.NotEqual(first.BaseAddress.Port, second.BaseAddress.Port);
        var address = first.BaseAddress;
        await first.DisposeAsync();
        using var http = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(address, "/")));
    }
}
