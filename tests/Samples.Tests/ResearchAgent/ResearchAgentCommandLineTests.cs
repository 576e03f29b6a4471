using Agents.Samples.ResearchAgent;

namespace Agents.Samples.Tests.ResearchAgent;

public sealed class ResearchAgentCommandLineTests
{
    private static (int? Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = SampleCommandLine.HelpOrErrors(SampleCommandLine.Parse(ResearchAgentApp.Command(), args), args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_exits_0_and_lists_every_flag(string flag)
    {
        var (exit, output, error) = Run(flag);

        Assert.Equal(0, exit);
        Assert.Empty(error);
        foreach (var option in new[]
        {
            "--model", "--endpoint", "--model-id", "--api-key-env", "--search", "--index", "--index-cache", "--searxng-url", "--browser",
            "--allow-loopback", "--allow-private", "--otel", "--mode", "--strategy", "--budget", "--price", "--workspace", "--plain", "--verbose",
        })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(new[] { "What?", "--budgte", "search=1" }, "Unknown option '--budgte'. Did you mean '--budget'?")]
    [InlineData(new[] { "What?", "--otel", "zipkin" }, "zipkin")]
    [InlineData(new[] { "What?", "--model" }, "--model")]
    public void A_bad_flag_exits_2_with_a_message_naming_it(string[] args, string expected)
    {
        var (exit, _, error) = Run(args);

        Assert.Equal(SampleCommandLine.ExitUsage, exit);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_good_command_line_goes_on_and_an_at_sign_is_a_plain_word()
    {
        var args = new[] { "Who", "wrote", "@lucene?", "--budget=search=3", "--plain" };
        var parsed = SampleCommandLine.Parse(ResearchAgentApp.Command(), args);

        Assert.Null(SampleCommandLine.HelpOrErrors(parsed, args, TextWriter.Null, TextWriter.Null));
        Assert.Equal(["Who", "wrote", "@lucene?"], parsed.GetValue<string[]>("question")!);
        Assert.Equal("search=3", parsed.Get("--budget"));
        Assert.True(parsed.Has("--plain"));
    }
}
