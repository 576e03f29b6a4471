using Agents.Samples.Common.CommandLine;

namespace Agents.Samples.Tests.Common;

public sealed class ArgumentParserTests
{
    private static ArgumentParser Parser() => new ArgumentParser().WithValue("--model").WithValue("--budget").WithFlag("--help");

    [Fact]
    public void Parses_values_flags_equals_form_and_positionals()
    {
        var a = Parser().Parse(["What is X?", "--model", "/m", "--budget=search=3", "--help", "--", "--not-an-option"]);
        Assert.Equal(["What is X?", "--not-an-option"], a.Positionals);
        Assert.Equal("/m", a.Get("--model"));
        Assert.Equal("search=3", a.Get("--budget"));
        Assert.True(a.Has("--help"));
        Assert.Null(a.Get("--missing"));
    }

    [Theory]
    [InlineData(new[] { "--modle", "x" }, "Unknown option '--modle'. Did you mean '--model'?")]
    [InlineData(new[] { "--model" }, "The option '--model' needs a value.")]
    [InlineData(new[] { "--model", "--help" }, "The option '--model' needs a value.")]
    [InlineData(new[] { "--help=yes" }, "The option '--help' takes no value.")]
    [InlineData(new[] { "--model", "a", "--model", "b" }, "The option '--model' is given more than once.")]
    public void Bad_command_lines_are_explained(string[] args, string expected)
    {
        Assert.StartsWith(expected, Assert.Throws<CommandLineException>(() => Parser().Parse(args)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Positive_ints_are_checked()
    {
        var p = new ArgumentParser().WithValue("--parallel");
        Assert.Equal(3, p.Parse(["--parallel", "3"]).GetPositiveInt("--parallel", 1));
        Assert.Equal(7, p.Parse([]).GetPositiveInt("--parallel", 7));
        Assert.Contains("positive whole number, not 'two'", Assert.Throws<CommandLineException>(() => p.Parse(["--parallel", "two"]).GetPositiveInt("--parallel", 1)).Message, StringComparison.Ordinal);
    }
}
