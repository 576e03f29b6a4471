namespace Agents.Hosting.Tests.Telemetry;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleOutputCollection
{
    public const string Name = "Console output";
}

[Collection(ConsoleOutputCollection.Name)]
public sealed class ResearchTelemetryTests
{
    [Fact]
    public async Task The_console_exporter_prints_the_chat_span_of_a_model_call()
    {
        await using var server = await FakeOpenAIServer.StartAsync("k", _ => FakeReply.Say("hello"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Telemetry:Exporter"] = "console",
            ["Model:Provider"] = "openai",
            ["Model:Endpoint"] = server.Endpoint.ToString(),
            ["Model:ModelId"] = "traced-model",
            ["Model:ApiKey"] = "k",
        }).Build();

        var original = Console.Out;
        var captured = new StringWriter();
        Console.SetOut(captured);
        try
        {
            await using (var services = new ServiceCollection()
                .AddResearchTelemetry(configuration.GetSection("Telemetry"))
                .AddResearchModel(configuration.GetSection("Model"))
                .BuildServiceProvider())
            {
                var reply = await services.GetRequiredService<IChatClient>().GetResponseAsync("hi");
                Assert.Equal("hello", reply.Text);
            }
        }
        finally
        {
            Console.SetOut(original);
        }

        var output = captured.ToString();
        Assert.Contains("chat traced-model", output, StringComparison.Ordinal);
        Assert.Contains("gen_ai.request.model", output, StringComparison.Ordinal);
    }

    [Fact]
    public void No_exporter_exports_nothing_and_an_unknown_one_is_named()
    {
        using (var none = ResearchTelemetry.Start(new TelemetryOptions()))
        {
            Assert.False(none.Enabled);
        }

        var ex = Assert.Throws<OptionsValidationException>(() => ResearchTelemetry.Start(new TelemetryOptions { Exporter = "jaeger" }, "App:Telemetry"));
        Assert.Contains("App:Telemetry:Exporter 'jaeger' is unknown", ex.Message, StringComparison.Ordinal);
    }
}
