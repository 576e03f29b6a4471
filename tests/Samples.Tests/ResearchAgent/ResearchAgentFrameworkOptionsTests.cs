using Agents.Samples.ResearchAgent;
using Agents.Samples.ResearchAgent.Framework;

namespace Agents.Samples.Tests.ResearchAgent;

/// <summary>The <c>--framework</c> mode's command line and its console question.</summary>
public sealed class ResearchAgentFrameworkOptionsTests
{
    [Fact]
    public void Help_lists_the_framework_options()
    {
        var output = new StringWriter();
        string[] args = ["--help"];

        int? exit = SampleCommandLine.HelpOrErrors(SampleCommandLine.Parse(ResearchAgentApp.Command(), args), args, output, TextWriter.Null);

        Assert.Equal(0, exit);
        Assert.Contains("--framework", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("--session <FILE>", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("--ask-for-more <N>", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("y\n", true, "y")]
    [InlineData(" YES \n", true, " YES ")]
    [InlineData("n\n", false, "n")]
    [InlineData("\n", false, "")]
    [InlineData("", false, "")]
    [InlineData("maybe\ny\n", false, "maybe")]
    public async Task The_console_question_is_yes_only_for_y_or_yes_and_no_on_a_blank_line_or_end_of_input(string input, bool expected, string echoed)
    {
        var output = new StringWriter();

        bool yes = await ConsoleQuestion.AskAsync("The search budget is spent; continue with 4 more?", new StringReader(input), output, echo: true, CancellationToken.None);

        Assert.Equal(expected, yes);
        Assert.Equal("The search budget is spent; continue with 4 more? [y/N] " + echoed + Environment.NewLine, output.ToString());
    }
}
