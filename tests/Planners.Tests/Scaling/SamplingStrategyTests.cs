using Agents.Planners.Grading;
using Agents.Planners.Scaling;

namespace Agents.Planners.Tests.Scaling;

public sealed class SamplingStrategyTests
{
    private static ScriptedChatClient ScoreBy(Dictionary<string, string> replies) =>
        new(call => Reply.Text(replies.First(r => call.LastUser.Contains("Candidate answer: " + r.Key + "\n", StringComparison.Ordinal)).Value));

    [Fact]
    public async Task SelfConsistency_MajorityOfNormalizedAnswers_CostOfAllSamples()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var strategy = new SelfConsistencyStrategy(ScriptedAgent.Answers(tracker, "A", "B", "b.", "A", "the B"), new SelfConsistencyOptions { Samples = 5 });

        AgentRunResult result = await strategy.RunAsync("q?");

        Assert.Equal(AgentRunStatus.Answered, result.Status);
        Assert.Equal("B", result.Answer);
        Assert.Equal(0.6, result.Confidence!.Value, 3);
        Assert.Equal(5, result.SubRuns.Count);
        Assert.Equal(5 * Reply.InputTokens, result.Cost.InputTokens);
        Assert.Equal(5 * Reply.InputTokens, tracker.GetSnapshot().InputTokens);
        Assert.Equal("self-consistency(scripted)", result.AgentName);
    }

    [Fact]
    public async Task SelfConsistency_Tie_IsBrokenByStartOrder_EvenWhenLaterRunsFinishFirst()
    {
        BudgetTracker tracker = TestTools.Tracker();
        string[] answers = ["Rome", "Oslo", "Oslo", "Rome"];
        var agent = new ScriptedAgent(tracker, async (context, i, ct) =>
        {
            await Task.Delay((answers.Length - i) * 20, ct);
            return ScriptedAgent.Answer(context, answers[i]);
        });
        var strategy = new SelfConsistencyStrategy(agent, new SelfConsistencyOptions { Samples = 4, MaxParallelism = 4 });

        AgentRunResult result = await strategy.RunAsync("q?");

        Assert.Equal("Rome", result.Answer);
        Assert.Contains("tie", result.StatusReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SelfConsistency_StopsStartingSamplesOnceBudgetIsSpent()
    {
        BudgetTracker tracker = TestTools.Tracker(searchLimit: 2);
        var agent = new ScriptedAgent(tracker, (context, i, _) =>
        {
            using (BudgetReservation r = context.Tracker.TryReserve("search", 2))
            {
                r.Commit();
            }

            return Task.FromResult(ScriptedAgent.Answer(context, "A"));
        });

        AgentRunResult result = await new SelfConsistencyStrategy(agent, new SelfConsistencyOptions { Samples = 5 }).RunAsync("q?");

        Assert.Equal("A", result.Answer);
        Assert.Single(result.SubRuns);
    }

    [Fact]
    public async Task SelfConsistency_NoAnswers_GivesUp()
    {
        BudgetTracker tracker = TestTools.Tracker();
        AgentRunResult result = await new SelfConsistencyStrategy(ScriptedAgent.Answers(tracker, null, "None", null), new SelfConsistencyOptions { Samples = 3 }).RunAsync("q?");
        Assert.Equal(AgentRunStatus.GaveUp, result.Status);
        Assert.Null(result.Answer);
    }

    [Fact]
    public async Task SelfConsistency_Cancelled_ReportsSpendOfStartedSamples()
    {
        BudgetTracker tracker = TestTools.Tracker();
        using var cts = new CancellationTokenSource();
        var agent = new ScriptedAgent(tracker, async (context, i, ct) =>
        {
            if (i == 0)
            {
                return ScriptedAgent.Answer(context, "A");
            }

            context.RecordModelResponse("act", Reply.Text("thinking"), null);
            await cts.CancelAsync();
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        });

        AgentRunResult result = await new SelfConsistencyStrategy(agent, new SelfConsistencyOptions { Samples = 3 }).RunAsync(new AgentRunRequest("q?"), cts.Token);

        Assert.Equal(AgentRunStatus.Cancelled, result.Status);
        Assert.Equal(2 * Reply.InputTokens, result.Cost.InputTokens);
        Assert.Equal(AgentRunStatus.Cancelled, result.SubRuns[1].Status);
    }

    [Fact]
    public async Task BestOfN_PicksHighestVerifierScore_ScoresEachDistinctAnswerOnce()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var verifier = ScoreBy(new() { ["A"] = """{"score":0.4}""", ["B"] = """{"score":0.9,"reason":"well sourced"}""" });
        var strategy = new BestOfNStrategy(ScriptedAgent.Answers(tracker, "A", "B", "A"), verifier, new BestOfNOptions { Samples = 3 });

        AgentRunResult result = await strategy.RunAsync("q?");

        Assert.Equal("B", result.Answer);
        Assert.Equal(0.9, result.Confidence);
        Assert.Equal(2, verifier.Calls.Count);
        Assert.Equal(5 * Reply.InputTokens, result.Cost.InputTokens);
        Assert.Contains("well sourced", result.StatusReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BestOfN_UnusableVerifierReply_ScoresZero()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var verifier = ScoreBy(new() { ["A"] = "I love it", ["B"] = """{"score":0.1}""" });
        AgentRunResult result = await new BestOfNStrategy(ScriptedAgent.Answers(tracker, "A", "B"), verifier, new BestOfNOptions { Samples = 2 }).RunAsync("q?");
        Assert.Equal("B", result.Answer);
    }

    [Fact]
    public async Task BestOfMajority_ScoresOnlyFrequentAnswers()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var verifier = ScoreBy(new() { ["A"] = """{"score":0.5}""", ["B"] = """{"score":1.0}""", ["C"] = """{"score":0.8}""" });
        var agent = ScriptedAgent.Answers(tracker, "A", "A", "A", "B", "C", "C", "D", "E");
        var strategy = new BestOfMajorityStrategy(agent, verifier, new BestOfMajorityOptions { Samples = 8, MinShare = 0.25 });

        AgentRunResult result = await strategy.RunAsync("q?");

        Assert.Equal("C", result.Answer);
        Assert.Equal(2, verifier.Calls.Count);
        Assert.DoesNotContain(verifier.Calls, c => c.LastUser.Contains("Candidate answer: B", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BestOfMajority_AllRare_KeepsMostFrequent()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var verifier = ScoreBy(new() { ["A"] = """{"score":0.2}""", ["B"] = """{"score":0.3}""", ["C"] = """{"score":0.9}""" });
        var strategy = new BestOfMajorityStrategy(ScriptedAgent.Answers(tracker, "A", "B", "C"), verifier, new BestOfMajorityOptions { Samples = 3, MinShare = 0.5 });

        AgentRunResult result = await strategy.RunAsync("q?");

        Assert.Equal("C", result.Answer);
        Assert.Equal(3, verifier.Calls.Count);
    }

    [Fact]
    public async Task FirstFinish_FirstAnswerWins_OthersCancelledAndTheirSpendCounted()
    {
        BudgetTracker tracker = TestTools.Tracker();
        using var losersStarted = new CountdownEvent(2);
        var agent = new ScriptedAgent(tracker, async (context, i, ct) =>
        {
            context.RecordModelResponse("act", Reply.Text("working"), null);
            if (i == 1)
            {
                await Task.Run(() => losersStarted.Wait(ct), ct);
                return ScriptedAgent.Answer(context, "fast");
            }

            losersStarted.Signal();
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        });

        AgentRunResult result = await new FirstFinishSearchStrategy(agent, new FirstFinishSearchOptions { Samples = 3 }).RunAsync("q?");

        Assert.Equal(AgentRunStatus.Answered, result.Status);
        Assert.Equal("fast", result.Answer);
        Assert.Equal(3, result.SubRuns.Count);
        Assert.Equal(2, result.SubRuns.Count(r => r.Status == AgentRunStatus.Cancelled));
        Assert.Equal(4 * Reply.InputTokens, result.Cost.InputTokens);
        Assert.Equal(4 * Reply.InputTokens, tracker.GetSnapshot().InputTokens);
        Assert.All(result.SubRuns.Where(r => r.Status == AgentRunStatus.Cancelled), r => Assert.Equal(Reply.InputTokens, r.Cost.InputTokens));
    }

    [Fact]
    public async Task FirstFinish_RunsWithoutAnswerDoNotWin()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var agent = new ScriptedAgent(tracker, async (context, i, ct) =>
        {
            if (i == 0)
            {
                return ScriptedAgent.Answer(context, null);
            }

            await Task.Delay(30, ct);
            return ScriptedAgent.Answer(context, "slow but right");
        });

        AgentRunResult result = await new FirstFinishSearchStrategy(agent, new FirstFinishSearchOptions { Samples = 2 }).RunAsync("q?");

        Assert.Equal("slow but right", result.Answer);
    }

    [Fact]
    public async Task ParallelStrategies_NeverExceedTheSharedToolBudget()
    {
        BudgetTracker tracker = TestTools.Tracker(searchLimit: 5);
        var tools = new TestTools();
        var model = new ScriptedChatClient(async (call, ct) =>
        {
            await Task.Yield();
            return Reply.Search("q");
        });
        var react = new ReActAgent(model, tools.All, tracker, new ReActOptions { BudgetAware = true, MaxIterations = 50 });

        AgentRunResult ffs = await new FirstFinishSearchStrategy(react, new FirstFinishSearchOptions { Samples = 4 }).RunAsync("q?");

        Assert.Equal(AgentRunStatus.BudgetExhausted, ffs.Status);
        Assert.Equal(5, tools.SearchCalls);
        Assert.Equal(5, tracker.GetSnapshot().GetCategory("search")!.Used);
        Assert.Equal(5, ffs.Cost.ToolUnits["search"]);
        Assert.Equal(5, ffs.SubRuns.Sum(r => r.Trajectory.ToolCalls.Count(c => c.Executed)));
    }

    [Fact]
    public async Task ParallelSelfConsistency_NeverExceedsTheSharedToolBudget()
    {
        BudgetTracker tracker = TestTools.Tracker(searchLimit: 7);
        var tools = new TestTools();
        var model = new ScriptedChatClient(call => call.Messages.Count(m => m.Role == Microsoft.Extensions.AI.ChatRole.Tool) >= 3
            ? Reply.Text("<answer>X</answer>")
            : Reply.Search("a", "b"));
        var react = new ReActAgent(model, tools.All, tracker);

        AgentRunResult result = await new SelfConsistencyStrategy(react, new SelfConsistencyOptions { Samples = 6, MaxParallelism = 6 }).RunAsync("q?");

        Assert.True(tracker.GetSnapshot().GetCategory("search")!.Used <= 7);
        Assert.True(tools.SearchCalls <= 3);
        Assert.Equal(tracker.GetSnapshot().GetCategory("search")!.Used, result.Cost.ToolUnits["search"]);
    }

    [Fact]
    public void BadConfiguration_Throws()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var agent = ScriptedAgent.Answers(tracker, "A");
        var verifier = new ScriptedChatClient(_ => Reply.Text("{}"));
        Assert.Throws<ArgumentNullException>(() => new SelfConsistencyStrategy(null!));
        Assert.Throws<ArgumentNullException>(() => new BestOfNStrategy(agent, null!));
        Assert.Throws<ArgumentNullException>(() => new BestOfMajorityStrategy(null!, verifier));
        Assert.Throws<ArgumentNullException>(() => new FirstFinishSearchStrategy(null!));
        Assert.Contains("Samples", Assert.Throws<ArgumentOutOfRangeException>(() => new SelfConsistencyStrategy(agent, new SelfConsistencyOptions { Samples = 0 })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SelfConsistencyStrategy(agent, new SelfConsistencyOptions { MaxParallelism = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SelfConsistencyStrategy(agent, new SelfConsistencyOptions { TieBreak = (MajorityVoteTieBreak)5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BestOfNStrategy(agent, verifier, new BestOfNOptions { Samples = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BestOfMajorityStrategy(agent, verifier, new BestOfMajorityOptions { MinShare = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FirstFinishSearchStrategy(agent, new FirstFinishSearchOptions { Samples = 65 }));
        Assert.Throws<ArgumentException>(() => new BestOfNStrategy(agent, verifier, new BestOfNOptions { Prompts = new VerifierPrompts { User = "nothing" } }));
    }
}
