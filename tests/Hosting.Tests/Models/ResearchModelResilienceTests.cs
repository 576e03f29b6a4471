using System.ClientModel;

namespace Agents.Hosting.Tests.Models;

public sealed class ResearchModelResilienceTests
{
    private static ServiceProvider Services(Uri endpoint, params (string Key, string Value)[] resilience)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Model:Provider"] = "openai",
            ["Model:Endpoint"] = endpoint.ToString(),
            ["Model:ModelId"] = "m1",
            ["Model:ApiKey"] = "k",
        };
        foreach (var (key, value) in resilience)
        {
            settings["Model:Resilience:" + key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddResearchModel(configuration.GetSection("Model")).BuildServiceProvider();
    }

    [Fact]
    public async Task A_429_is_retried_after_its_Retry_After_and_the_200_is_returned()
    {
        var calls = 0;
        await using var server = await FakeOpenAIServer.StartAsync("k", _ => Interlocked.Increment(ref calls) == 1 ? FakeReply.Fail(429, 1) : FakeReply.Say("hello"));

        // The back-off without Retry-After would be ten minutes, beyond the total timeout: only honouring the header answers.
        await using var services = Services(server.Endpoint, ("RetryDelay", "00:10:00"), ("TotalTimeout", "00:02:00"), ("AttemptTimeout", "00:00:30"));
        var reply = await services.GetRequiredService<IChatClient>().GetResponseAsync("hi");

        Assert.Equal("hello", reply.Text);
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(server.Requests[0].Body, server.Requests[1].Body);
        Assert.Equal("m1", services.GetRequiredService<ResearchModel>().ModelId);
    }

    [Fact]
    public async Task The_retry_count_comes_from_the_Model_section_and_a_lasting_failure_surfaces()
    {
        await using var server = await FakeOpenAIServer.StartAsync("k", _ => FakeReply.Fail(503, 0));
        await using var services = Services(server.Endpoint, ("MaxRetryAttempts", "1"), ("RetryDelay", "00:00:00"));

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => services.GetRequiredService<IChatClient>().GetResponseAsync("hi"));

        Assert.Equal(503, ex.Status);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Errors_that_are_not_transient_are_not_retried()
    {
        await using var server = await FakeOpenAIServer.StartAsync("k", _ => FakeReply.Fail(401));
        await using var services = Services(server.Endpoint, ("RetryDelay", "00:00:00"));

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => services.GetRequiredService<IChatClient>().GetResponseAsync("hi"));

        Assert.Equal(401, ex.Status);
        Assert.Single(server.Requests);
    }
}
