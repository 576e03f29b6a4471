using System.ClientModel;
using Agents.Hosting;
using Microsoft.Extensions.AI;

namespace Agents.Samples.Tests.Common;

public sealed class ModelFailureMonitorTests
{
    // The console samples' model: the one factory of Agents.Hosting, watched for connection failures.
    private static IChatClient CreateRemote(ModelSettings settings, ModelFailureMonitor monitor)
    {
        var options = settings.ToOptions();
        options.Resilience.RetryDelay = TimeSpan.Zero;
        var model = ResearchModelFactory.Create(options, "Model", new HttpClient())!;
        return new ChatClientBuilder(model.Client).UseFailureMonitoring(monitor, settings).Build();
    }

    private static ModelSettings Settings(Uri endpoint, string? key) => new() { Endpoint = endpoint, ModelId = "scripted-1", ApiKey = key, ApiKeyVariable = "TEST_KEY_VAR" };

    [Fact]
    public async Task Talks_to_an_openai_compatible_endpoint_with_text_tools_and_usage()
    {
        await using var server = await FakeOpenAIServer.StartAsync("k1", r => r.ToolNames.Count > 0
            ? FakeReply.Call("lookup", """{"q":"x"}""")
            : FakeReply.Say("hello " + r.FirstUser));
        var monitor = new ModelFailureMonitor();
        using var client = CreateRemote(Settings(server.Endpoint, "k1"), monitor);

        var text = await client.GetResponseAsync("world");
        Assert.Equal("hello world", text.Text);
        Assert.Equal((100L, 20L), (text.Usage!.InputTokenCount!.Value, text.Usage.OutputTokenCount!.Value));

        var tool = AIFunctionFactory.Create((string q) => q, "lookup");
        var call = await client.GetResponseAsync("use a tool", new ChatOptions { Tools = [tool] });
        var fc = Assert.Single(call.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal(("lookup", "x"), (fc.Name, fc.Arguments!["q"]!.ToString()));
        Assert.Equal(["lookup"], server.Requests[1].ToolNames);
        Assert.Equal("scripted-1", server.Requests[0].Model);

        var streamed = await client.GetStreamingResponseAsync("stream").ToChatResponseAsync();
        Assert.Equal("hello stream", streamed.Text);
        Assert.Null(monitor.Failure);
    }

    [Fact]
    public async Task A_rejected_key_is_reported_naming_the_variable()
    {
        await using var server = await FakeOpenAIServer.StartAsync("right", _ => FakeReply.Say("never"));
        var monitor = new ModelFailureMonitor();
        using var client = CreateRemote(Settings(server.Endpoint, "wrong"), monitor);
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync("hi"));
        Assert.Equal(401, ex.Status);
        Assert.Contains("rejected the API key (HTTP 401)", monitor.Failure!.Message, StringComparison.Ordinal);
        Assert.Contains("TEST_KEY_VAR", monitor.Failure.Message, StringComparison.Ordinal);
        Assert.True(server.Unauthorized >= 1);
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_reported()
    {
        Uri endpoint;
        await using (var server = await FakeOpenAIServer.StartAsync("k", _ => FakeReply.Say("x")))
        {
            endpoint = server.Endpoint;
        }

        var monitor = new ModelFailureMonitor();
        using var client = CreateRemote(Settings(endpoint, "k"), monitor);
        await Assert.ThrowsAnyAsync<Exception>(() => client.GetResponseAsync("hi"));
        Assert.StartsWith("Could not reach the model endpoint " + endpoint, monitor.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_exceptions_are_not_connection_failures()
    {
        var settings = Settings(new Uri("http://127.0.0.1:1/v1"), null);
        Assert.Null(ModelFailureMonitor.Classify(new InvalidOperationException("model said nonsense"), settings));
        var unauthorized = ModelFailureMonitor.Classify(new ClientResultException("401", null), settings);
        Assert.Null(unauthorized);
    }
}
