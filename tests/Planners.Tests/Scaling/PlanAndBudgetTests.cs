using Agents.Planners.Scaling;

namespace Agents.Planners.Tests.Scaling;

public sealed class PlanAndBudgetTests
{
    [Fact]
    public void Allocate_ByComplexityWithoutDecay_IsProportional()
    {
        IReadOnlyList<long> budget = PlanAndBudgetAllocator.Allocate([2, 1, 1], 403, DecaySchedule.None, 0);
        Assert.Equal([201, 101, 101], budget);
    }

    [Theory]
    [InlineData(DecaySchedule.Linear)]
    [InlineData(DecaySchedule.Exponential)]
    [InlineData(DecaySchedule.Polynomial)]
    public void Allocate_DecayFrontLoadsEqualSteps_AndNeverExceedsTotal(DecaySchedule schedule)
    {
        IReadOnlyList<long> budget = PlanAndBudgetAllocator.Allocate([3, 3, 3, 3], 1_000, schedule, 0.5);
        Assert.True(budget.Sum() <= 1_000);
        Assert.True(budget.Sum() >= 996);
        for (int i = 1; i < budget.Count; i++)
        {
            Assert.True(budget[i] < budget[i - 1], $"{schedule}: step {i} got {budget[i]}, step {i - 1} got {budget[i - 1]}");
        }
    }

    [Fact]
    public void Allocate_EveryStepGetsAtLeastOneToken()
    {
        IReadOnlyList<long> budget = PlanAndBudgetAllocator.Allocate([10, 1, 1], 3, DecaySchedule.Exponential, 10);
        Assert.All(budget, b => Assert.True(b >= 1));
        Assert.Equal(3, budget.Sum());
    }

    [Fact]
    public void Allocate_BadInput_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => PlanAndBudgetAllocator.Allocate(null!, 10, DecaySchedule.None, 0));
        Assert.Throws<ArgumentException>(() => PlanAndBudgetAllocator.Allocate([], 10, DecaySchedule.None, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PlanAndBudgetAllocator.Allocate([0], 10, DecaySchedule.None, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PlanAndBudgetAllocator.Allocate([1, 1], 1, DecaySchedule.None, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PlanAndBudgetAllocator.Allocate([1], 10, (DecaySchedule)7, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PlanAndBudgetAllocator.Allocate([1], 10, DecaySchedule.Linear, double.NaN));
    }

    [Fact]
    public async Task Strategy_DecomposesAllocatesAnswersInOrderAndSynthesizes()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var planner = new ScriptedChatClient(call => call.System.StartsWith("Break the question", StringComparison.Ordinal)
            ? Reply.Text("""{"subquestions":[{"question":"Who wrote X?","complexity":4},{"question":"When was the author born?","complexity":2}]}""")
            : Reply.Text("<answer>1950</answer><confidence>0.9</confidence>"));
        var inner = new ScriptedAgent(tracker, (context, i, _) => Task.FromResult(ScriptedAgent.Answer(context, i == 0 ? "Jane Roe" : "1950")));
        var options = new PlanAndBudgetOptions { TotalOutputTokens = 1_000, SynthesisShare = 0.2, Schedule = DecaySchedule.None };

        AgentRunResult result = await new PlanAndBudgetStrategy(inner, planner, options).RunAsync("When was the author of X born?");

        Assert.Equal(AgentRunStatus.Answered, result.Status);
        Assert.Equal("1950", result.Answer);
        Assert.Equal(0.9, result.Confidence);
        AgentRunRequest[] requests = [.. inner.Requests];
        Assert.Equal(["Who wrote X?", "When was the author born?"], requests.Select(r => r.Question));
        long forParts = 1_000 - 200 - Reply.OutputTokens;
        Assert.Equal(PlanAndBudgetAllocator.Allocate([4, 2], forParts, DecaySchedule.None, 0), requests.Select(r => r.MaxOutputTokens!.Value));
        Assert.Contains("Jane Roe", requests[1].Context, StringComparison.Ordinal);
        Assert.Contains("When was the author of X born?", requests[0].Context, StringComparison.Ordinal);
        ChatCall synthesis = planner.Calls[^1];
        Assert.Contains("1950", synthesis.LastUser, StringComparison.Ordinal);
        Assert.Equal((int)(1_000 - (3 * Reply.OutputTokens)), synthesis.Options!.MaxOutputTokens);
        Assert.Equal(2, result.SubRuns.Count);
        Assert.Equal(4 * Reply.InputTokens, result.Cost.InputTokens);
    }

    [Fact]
    public async Task Strategy_UnusableDecomposition_AnswersTheWholeQuestion()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var planner = new ScriptedChatClient(call => call.Index == 0 ? Reply.Text("sorry") : Reply.Text("<answer>ok</answer>"));
        var inner = ScriptedAgent.Answers(tracker, "part");

        AgentRunResult result = await new PlanAndBudgetStrategy(inner, planner).RunAsync("Whole question?");

        Assert.Equal("ok", result.Answer);
        Assert.Equal("Whole question?", Assert.Single(inner.Requests).Question);
    }

    [Fact]
    public async Task Strategy_NoSubAnswer_GivesUpWithoutSynthesis()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var planner = new ScriptedChatClient(_ => Reply.Text("""{"subquestions":["a?","b?"]}"""));
        AgentRunResult result = await new PlanAndBudgetStrategy(ScriptedAgent.Answers(tracker, null, null), planner).RunAsync("q?");
        Assert.Equal(AgentRunStatus.GaveUp, result.Status);
        Assert.Single(planner.Calls);
    }

    [Fact]
    public void BadConfiguration_Throws()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var inner = ScriptedAgent.Answers(tracker, "a");
        var planner = new ScriptedChatClient(_ => Reply.Text("x"));
        Assert.Throws<ArgumentNullException>(() => new PlanAndBudgetStrategy(null!, planner));
        Assert.Throws<ArgumentNullException>(() => new PlanAndBudgetStrategy(inner, null!));
        Assert.Contains("TotalOutputTokens", Assert.Throws<ArgumentOutOfRangeException>(() => new PlanAndBudgetStrategy(inner, planner, new PlanAndBudgetOptions { TotalOutputTokens = 10 })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PlanAndBudgetStrategy(inner, planner, new PlanAndBudgetOptions { SynthesisShare = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PlanAndBudgetStrategy(inner, planner, new PlanAndBudgetOptions { DecayRate = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PlanAndBudgetStrategy(inner, planner, new PlanAndBudgetOptions { MaxSubQuestions = 0 }));
        Assert.Throws<ArgumentException>(() => new PlanAndBudgetStrategy(inner, planner, new PlanAndBudgetOptions { Prompts = new PlanAndBudgetPrompts { SynthesisUser = "" } }));
    }
}
