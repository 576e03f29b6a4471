using System.Collections.Concurrent;
using Agents.Budget;
using Agents.Samples.ResearchAgent.Asking;

namespace Agents.Samples.Tests.ResearchAgent;

/// <summary>The console approver: the question's text, the units it grants, one question at a time.</summary>
public sealed class ConsoleBudgetApproverTests
{
    [Theory]
    [InlineData("y\n", 7)]
    [InlineData("yes\n", 7)]
    [InlineData("n\n", 0)]
    [InlineData("", 0)]
    public async Task Yes_grants_the_offered_units_and_anything_else_declines(string input, int expected)
    {
        var output = new StringWriter();
        using var approver = new ConsoleBudgetApprover(new StringReader(input), output, echo: false, new object());

        int granted = await approver.RequestMoreAsync(new BudgetExtensionRequest("search", "web_search", 3, 3, 1, 7), CancellationToken.None);

        Assert.Equal(expected, granted);
        Assert.Equal("The search budget is spent; continue with 7 more? [y/N] ", output.ToString());
    }

    [Fact]
    public async Task A_second_question_waits_until_the_first_is_answered()
    {
        using var lines = new BlockingCollection<string?>();
        var output = new StringWriter();
        using var approver = new ConsoleBudgetApprover(new CallbackReader(() => lines.Take()), output, echo: true, new object());

        var first = approver.RequestMoreAsync(new BudgetExtensionRequest("search", "web_search", 3, 3, 1, 2), CancellationToken.None).AsTask();
        var second = approver.RequestMoreAsync(new BudgetExtensionRequest("browse", "browser_browse", 5, 5, 1, 4), CancellationToken.None).AsTask();

        // Writing the question happens before the first await: a second question asked at once would be written already.
        Assert.Equal("The search budget is spent; continue with 2 more? [y/N] ", output.ToString());
        Assert.False(second.IsCompleted);
        lines.Add("y");
        Assert.Equal(2, await first);
        lines.Add("n");
        Assert.Equal(0, await second);
        Assert.Equal("The search budget is spent; continue with 2 more? [y/N] y\nThe browse budget is spent; continue with 4 more? [y/N] n\n", output.ToString().ReplaceLineEndings("\n"));
    }

    /// <summary>A reader whose lines come from a callback.</summary>
    private sealed class CallbackReader(Func<string?> readLine) : TextReader
    {
        public override string? ReadLine() => readLine();
    }
}
