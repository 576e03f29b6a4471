namespace Agents.Samples.Tests.Common;

public sealed class ModelSettingsTests
{
    private static ModelSettings? From(string[] args, Dictionary<string, string>? env = null) =>
        ModelSettings.From(SampleCommandLine.Parse(new System.CommandLine.RootCommand().AddModelAndSearchOptions(), args), name => env is not null && env.TryGetValue(name, out var v) ? v : null);

    [Fact]
    public void Nothing_configured_gives_null_and_a_helpful_paragraph()
    {
        Assert.Null(From([]));
        string help = ModelSettings.NoModelHelp("ResearchAgent");
        Assert.Contains("--model DIR", help, StringComparison.Ordinal);
        Assert.Contains("--endpoint URL --model-id NAME", help, StringComparison.Ordinal);
        Assert.Contains("OPENAI_API_KEY", help, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", help, StringComparison.Ordinal);
    }

    [Fact]
    public void Endpoint_with_key_from_the_named_variable()
    {
        var s = From(["--endpoint", "http://127.0.0.1:9/v1", "--model-id", "m", "--api-key-env", "MY_KEY"], new() { ["MY_KEY"] = "secret" })!;
        Assert.Equal((new Uri("http://127.0.0.1:9/v1"), "m", "secret", "MY_KEY", false), (s.Endpoint, s.ModelId, s.ApiKey, s.ApiKeyVariable, s.IsLocal));
    }

    [Fact]
    public void Environment_variables_stand_in_for_options()
    {
        var s = From([], new() { ["AGENTS_ENDPOINT"] = "https://api.example.test/v1", ["AGENTS_MODEL_ID"] = "gpt", ["OPENAI_API_KEY"] = "k" })!;
        Assert.Equal(("gpt", "k"), (s.ModelId, s.ApiKey));
        var local = From([], new() { ["AGENTS_MODEL_DIR"] = Path.GetTempPath() })!;
        Assert.True(local.IsLocal);
    }

    [Theory]
    [InlineData(new[] { "--model", "/definitely/not/here" }, "--model: the folder '/definitely/not/here' does not exist")]
    [InlineData(new[] { "--endpoint", "localhost:11434" }, "is not an http(s) URL")]
    [InlineData(new[] { "--endpoint", "http://x/v1" }, "add --model-id NAME")]
    [InlineData(new[] { "--model-id", "m" }, "give the endpoint too")]
    [InlineData(new[] { "--model", "/tmp", "--endpoint", "http://x/v1", "--model-id", "m" }, "not both")]
    public void Contradictions_are_explained(string[] args, string expected)
    {
        Assert.Contains(expected, Assert.Throws<CommandLineException>(() => From(args)).Message, StringComparison.Ordinal);
    }
}
