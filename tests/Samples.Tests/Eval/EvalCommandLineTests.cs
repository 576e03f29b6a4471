using Agents.Samples.Eval.App;

namespace Agents.Samples.Tests.Eval;

public sealed class EvalCommandLineTests
{
    private static (int? Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = SampleCommandLine.HelpOrErrors(SampleCommandLine.Parse(EvalApp.Command(), args), args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void Help_exits_0_and_lists_every_flag()
    {
        var (exit, output, error) = Run("--help");

        Assert.Equal(0, exit);
        Assert.Empty(error);
        foreach (var option in new[]
        {
            "--dataset", "--offline-web", "--corpus-documents", "--corpus-queries", "--corpus-answers", "--seed", "--questions", "--out",
            "--strategies", "--budgets", "--parallel", "--limit", "--report-only", "--price", "--verbose", "--model", "--endpoint", "--search", "--otel",
            "--cluster", "--cluster-id", "--silo-port", "--gateway-port", "--advertise", "--cell-lease",
        })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(new[] { "--offline-web", "--stratgies", "bats" }, "Unknown option '--stratgies'. Did you mean '--strategies'?")]
    [InlineData(new[] { "--offline-web", "stray" }, "'stray'")]
    [InlineData(new[] { "--dataset" }, "--dataset")]
    public void A_bad_flag_exits_2_with_a_message_naming_it(string[] args, string expected)
    {
        var (exit, _, error) = Run(args);

        Assert.Equal(SampleCommandLine.ExitUsage, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
