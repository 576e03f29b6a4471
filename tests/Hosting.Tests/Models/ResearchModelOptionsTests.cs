namespace Agents.Hosting.Tests.Models;

public sealed class ResearchModelOptionsTests
{
    private static IConfigurationSection Section(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create("App:Model:" + v.Key, (string?)v.Value))).Build().GetSection("App:Model");

    [Theory]
    [InlineData("openai", "Endpoint", "not a url", "App:Model:Endpoint 'not a url' is not an http(s) address")]
    [InlineData("onnx", "Path", "/no/such/model", "App:Model:Path '/no/such/model' is not a folder")]
    [InlineData("llamacpp", "Path", "x", "App:Model:Provider 'llamacpp' is unknown")]
    [InlineData("openai", "Resilience:MaxRetryAttempts", "0", "App:Model")]
    public void Bad_options_throw_OptionsValidationException_naming_the_option(string provider, string key, string value, string expected)
    {
        var services = new ServiceCollection();
        var ex = Assert.Throws<OptionsValidationException>(() => services.AddResearchModel(Section(("Provider", provider), (key, value))));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_total_timeout_shorter_than_an_attempt_is_refused()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new ServiceCollection().AddResearchModel(Section(
            ("Provider", "openai"), ("Endpoint", "http://127.0.0.1:9/v1"), ("ModelId", "m"), ("Resilience:TotalTimeout", "00:00:10"), ("Resilience:AttemptTimeout", "00:00:30"))));
        Assert.Contains("App:Model:Resilience:TotalTimeout", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_provider_registers_no_model()
    {
        using var services = new ServiceCollection().AddResearchModel(Section()).BuildServiceProvider();
        Assert.Null(services.GetService<IChatClient>());
        Assert.Null(services.GetService<ResearchModel>());
    }
}
