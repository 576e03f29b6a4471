using Agents.Planners.Grading;

namespace Agents.Planners.Tests.Grading;

public sealed class GradingTests
{
    [Fact]
    public async Task LlmJudge_ExactMatchNeedsNoCall_OtherwiseAsksAndRecordsUsage()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var judge = new ScriptedChatClient(call => Reply.Text(call.LastUser.Contains("NYC", StringComparison.Ordinal)
            ? """{"correct": true, "reason": "same city"}"""
            : """{"correct": "no", "reason": "different"}"""));
        var grader = new LlmJudgeGrader(judge, tracker);

        Assert.True((await grader.GradeAsync("Where?", "New York", "new york.")).IsCorrect);
        Assert.Empty(judge.Calls);
        AnswerGrade yes = await grader.GradeAsync("Where?", "NYC", "New York City");
        Assert.True(yes.IsCorrect);
        Assert.Equal("same city", yes.Explanation);
        Assert.False((await grader.GradeAsync("Where?", "Boston", "New York City")).IsCorrect);
        Assert.Equal(2 * Reply.InputTokens, tracker.GetSnapshot().InputTokens);
    }

    [Fact]
    public async Task LlmJudge_UnusableReplyOrNoAnswer_IsIncorrect()
    {
        var judge = new ScriptedChatClient(call => Reply.Text(call.Index == 0 ? "Yes!" : """{"reason":"?"}"""));
        var grader = new LlmJudgeGrader(judge);
        Assert.Contains("unusable", (await grader.GradeAsync("q", "x", "y")).Explanation, StringComparison.Ordinal);
        Assert.False((await grader.GradeAsync("q", "x", "y")).IsCorrect);
        Assert.False((await grader.GradeAsync("q", "None", "y")).IsCorrect);
        Assert.Equal(2, judge.Calls.Count);
    }

    [Fact]
    public async Task LlmJudge_BadInput_Throws()
    {
        var judge = new ScriptedChatClient(_ => Reply.Text("{}"));
        Assert.Throws<ArgumentNullException>(() => new LlmJudgeGrader(null!));
        Assert.Throws<ArgumentException>(() => new LlmJudgeGrader(judge, userPrompt: "no placeholders"));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => new LlmJudgeGrader(judge).GradeAsync(" ", "a", "b"));
    }

    [Fact]
    public async Task CostOfPass_IsMeanCostOverAccuracy_InfiniteWithoutSuccess()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var agent = ScriptedAgent.Answers(tracker, "Paris", "Lyon", "Paris", "Nice");
        var runs = new List<(AgentRunResult, string)>();
        foreach (string _ in new[] { "1", "2", "3", "4" })
        {
            runs.Add((await agent.RunAsync("Capital of France?"), "Paris"));
        }

        CostOfPassReport report = await RunSetEvaluator.EvaluateAsync(runs, new ExactMatchGrader());

        decimal each = runs[0].Item1.Cost.CostUsd;
        Assert.True(each > 0);
        Assert.Equal(4, report.Runs);
        Assert.Equal(2, report.Correct);
        Assert.Equal(0.5, report.Accuracy);
        Assert.Equal(4 * each, report.TotalCostUsd);
        Assert.Equal((double)(each / 0.5m), report.CostOfPassUsd, 9);

        CostOfPassReport none = RunSetEvaluator.Compute(runs.Select(r => (r.Item1, false)));
        Assert.True(double.IsPositiveInfinity(none.CostOfPassUsd));
    }

    [Fact]
    public async Task CostOfPass_BadInput_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => RunSetEvaluator.Compute(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => RunSetEvaluator.EvaluateAsync(null!, new ExactMatchGrader()));
        await Assert.ThrowsAsync<ArgumentNullException>(() => RunSetEvaluator.EvaluateAsync([], null!));
    }
}
