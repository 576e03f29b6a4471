using Agents.Planners.Runs.Events;

namespace Agents.Planners.Tests.Bats;

public sealed class BatsAgentTests
{
    private static async Task<(AgentRunResult Result, List<AgentRunEvent> Events)> RunAsync(BatsAgent agent, string question = "Which physicist?")
    {
        var events = new List<AgentRunEvent>();
        AgentRunResult result = await agent.RunAsync(new AgentRunRequest(question), e => { lock (events) { events.Add(e); } });
        return (result, events);
    }

    private static int ToolMessages(ChatCall call) => call.Messages.Count(m => m.Role == ChatRole.Tool);

    [Fact]
    public async Task Success_EarlyStop_AnswersAndLogsSpendPerStep()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var script = new BatsScript()
            .Act(Reply.Search("physicists born 1950"), BatsScript.Answer("Ada", "1 [x] Found Ada"))
            .Verify(BatsScript.Verdict("SUCCESS"));
        var agent = new BatsAgent(script.Client, new TestTools().All, tracker);

        (AgentRunResult result, List<AgentRunEvent> events) = await RunAsync(agent);

        Assert.Equal(AgentRunStatus.Answered, result.Status);
        Assert.Equal("Ada", result.Answer);
        Assert.Equal(1.0, result.Confidence);
        Assert.Contains("early-stop", result.StatusReason, StringComparison.Ordinal);
        string[] plans = [.. events.OfType<PlanUpdatedEvent>().Select(e => e.Plan)];
        Assert.StartsWith("1 [ ] Find physicists born in 1950\n2 [ ] Check the Wolf prize", plans[0], StringComparison.Ordinal);
        Assert.Contains(plans, p => p.Contains("1 [ ] Find physicists born in 1950 (spent: 1)", StringComparison.Ordinal));
        Assert.Contains("1 [x] Found Ada (spent: 1)", plans[^1], StringComparison.Ordinal);
        Assert.Equal(VerificationDecision.Success, Assert.Single(events.OfType<VerificationCompletedEvent>()).Report.Decision);
        Assert.Equal("Ada", Assert.Single(events.OfType<AnswerProposedEvent>()).Answer);

        ChatCall verify = Assert.Single(script.VerifyCalls);
        Assert.Contains("result for physicists born 1950", verify.LastUser, StringComparison.Ordinal);
        Assert.Contains("Proposed answer: Ada", verify.LastUser, StringComparison.Ordinal);
        Assert.Contains("won the Wolf prize", verify.LastUser, StringComparison.Ordinal);
        ChatCall firstAct = script.ActCalls.First();
        Assert.Contains("a physicist born in 1950", firstAct.System, StringComparison.Ordinal);
        Assert.Contains("<budget>", firstAct.LastUser, StringComparison.Ordinal);
        Assert.Contains("<budget>", result.Trajectory.ToolCalls[0].Result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Continue_ReplacesTrajectoryWithSummaryAndKeepsLatestToolResult()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var script = new BatsScript()
            .Act(Reply.Search("first"), BatsScript.Answer("Bob"), Reply.Search("prize"), BatsScript.Answer("Ada"))
            .Verify(BatsScript.Verdict("CONTINUE", summary: "Bob is likely, prize unchecked", recommendations: "check the prize"), BatsScript.Verdict("SUCCESS"));
        var agent = new BatsAgent(script.Client, new TestTools().All, tracker);

        (AgentRunResult result, List<AgentRunEvent> events) = await RunAsync(agent);

        Assert.Equal("Ada", result.Answer);
        ChatCall afterContinue = script.ActCalls.ElementAt(2);
        Assert.Equal(0, ToolMessages(afterContinue));
        Assert.Contains("Bob is likely, prize unchecked", afterContinue.LastUser, StringComparison.Ordinal);
        Assert.Contains("check the prize", afterContinue.LastUser, StringComparison.Ordinal);
        Assert.Contains("Latest tool result", afterContinue.LastUser, StringComparison.Ordinal);
        Assert.Contains("result for first", afterContinue.LastUser, StringComparison.Ordinal);
        Assert.Single(events.OfType<AttemptStartedEvent>());
        Assert.Equal([VerificationDecision.Continue, VerificationDecision.Success], events.OfType<VerificationCompletedEvent>().Select(e => e.Report.Decision));
    }

    [Fact]
    public async Task Pivot_StartsNewAttempt_MarksStepFailed_KeepsSteps()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var script = new BatsScript()
            .Act(BatsScript.Answer("Bob"), BatsScript.Answer("Ada", "1.1 [ ] New lead: Wolf laureates"))
            .Verify(BatsScript.Verdict("PIVOT", summary: "Bob was born in 1948"), BatsScript.Verdict("SUCCESS"));
        var agent = new BatsAgent(script.Client, new TestTools().All, tracker);

        (AgentRunResult result, List<AgentRunEvent> events) = await RunAsync(agent);

        Assert.Equal("Ada", result.Answer);
        Assert.Equal([1, 2], events.OfType<AttemptStartedEvent>().Select(e => e.Attempt));
        string plan = events.OfType<PlanUpdatedEvent>().Last().Plan;
        Assert.Contains("1 [!] Find physicists born in 1950", plan, StringComparison.Ordinal);
        Assert.Contains("2 [ ] Check the Wolf prize", plan, StringComparison.Ordinal);
        Assert.Contains("1.1 [x] New lead: Wolf laureates", plan, StringComparison.Ordinal);
        ChatCall secondAttempt = script.ActCalls.ElementAt(1);
        Assert.Contains("PIVOT", secondAttempt.LastUser, StringComparison.Ordinal);
        Assert.Contains("Bob was born in 1948", secondAttempt.LastUser, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoneProposal_PivotsWithoutCallingTheVerifier()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var script = new BatsScript().Act(BatsScript.Answer("None"), BatsScript.Answer("Ada")).Verify(BatsScript.Verdict("SUCCESS"));
        var agent = new BatsAgent(script.Client, new TestTools().All, tracker);

        (AgentRunResult result, List<AgentRunEvent> events) = await RunAsync(agent);

        Assert.Equal("Ada", result.Answer);
        Assert.Single(script.VerifyCalls);
        Assert.Equal(VerificationDecision.Pivot, events.OfType<VerificationCompletedEvent>().First().Report.Decision);
    }

    [Fact]
    public async Task InvalidVerifierJson_IsRepairedOnce()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var script = new BatsScript().Act(BatsScript.Answer("Ada")).Verify("Looks right to me!", BatsScript.Verdict("SUCCESS"));
        var agent = new BatsAgent(script.Client, new TestTools().All, tracker);

        (AgentRunResult result, _) = await RunAsync(agent);

        Assert.Equal(AgentRunStatus.Answered, result.Status);
        ChatCall[] verifies = [.. script.VerifyCalls];
        Assert.Equal(2, verifies.Length);
        Assert.Contains("no JSON object", verifies[1].LastUser, StringComparison.Ordinal);
        Assert.Contains(verifies[1].Messages, m => m.Role == ChatRole.Assistant && m.Text == "Looks right to me!");
    }

    [Fact]
    public async Task InvalidVerifierJsonTwice_FallsBackToSafeDecision_AnswerStaysUnverified()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var script = new BatsScript { VerifyFallback = "garbage" }.Act(BatsScript.Answer("Ada"), Reply.Search("x"));
        var agent = new BatsAgent(script.Client, new TestTools().All, tracker, new BatsOptions { MaxAttempts = 1, MaxIterationsPerAttempt = 2 });

        (AgentRunResult result, List<AgentRunEvent> events) = await RunAsync(agent);

        VerificationReport report = Assert.Single(events.OfType<VerificationCompletedEvent>()).Report;
        Assert.True(report.IsFallback);
        Assert.Equal(VerificationDecision.Continue, report.Decision);
        Assert.Equal(2, script.VerifyCalls.Count());
        Assert.Equal(AgentRunStatus.GaveUp, result.Status);
        Assert.Equal("Ada", result.Answer);
        Assert.Equal(0.0, result.Confidence);
        Assert.Contains("unverified", result.StatusReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FallbackDecisionPivot_StartsANewAttempt()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var script = new BatsScript().Act(BatsScript.Answer("Ada"), BatsScript.Answer("Ada")).Verify("x", "y", BatsScript.Verdict("SUCCESS"));
        var agent = new BatsAgent(script.Client, new TestTools().All, tracker, new BatsOptions { FallbackDecision = VerificationDecision.Pivot });

        (AgentRunResult result, List<AgentRunEvent> events) = await RunAsync(agent);

        Assert.Equal(AgentRunStatus.Answered, result.Status);
        Assert.Equal([1, 2], events.OfType<AttemptStartedEvent>().Select(e => e.Attempt));
    }

    [Fact]
    public async Task ExhaustionMidAttempt_StopsWithBudgetExhausted_NeverOverspends()
    {
        BudgetTracker tracker = TestTools.Tracker(searchLimit: 3);
        var tools = new TestTools();
        var script = new BatsScript { ActFallback = _ => Reply.Search("q5") }.Act(Reply.Search("q1", "q2"), Reply.Search("q3", "q4"));
        var agent = new BatsAgent(script.Client, tools.All, tracker);

        (AgentRunResult result, _) = await RunAsync(agent);

        Assert.Equal(AgentRunStatus.BudgetExhausted, result.Status);
        Assert.Null(result.Answer);
        Assert.Empty(script.VerifyCalls);
        Assert.Equal(3, script.ActCalls.Count());
        Assert.Equal(3, tracker.GetSnapshot().GetCategory("search")!.Used);
        Assert.Equal(3, result.Cost.ToolUnits["search"]);
        Assert.Equal(2, tools.SearchCalls);
        Assert.Contains("Not executed", result.Trajectory.ToolCalls[1].Result, StringComparison.Ordinal);
        Assert.False(result.Trajectory.ToolCalls[1].Executed);
        Assert.Contains("search", result.StatusReason, StringComparison.Ordinal);
        Assert.EndsWith("(3 of 3 units used). No answer was proposed.", result.StatusReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exhaustion_FinalAnswerWithoutTools_ReturnsUnverifiedBestAnswer()
    {
        BudgetTracker tracker = TestTools.Tracker(searchLimit: 1, ExhaustionBehavior.FinalAnswerWithoutTools);
        var script = new BatsScript { ActFallback = _ => Reply.Search("q1") };
        var agent = new BatsAgent(script.Client, new TestTools().All, tracker);

        (AgentRunResult result, _) = await RunAsync(agent);

        Assert.Equal(AgentRunStatus.BudgetExhausted, result.Status);
        Assert.Equal("final without tools", result.Answer);
        Assert.False(script.Client.Calls[^1].HasTools);
    }

    [Fact]
    public async Task FullMode_JudgeChoosesAmongVerifiedAnswers()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var script = new BatsScript { JudgeReply = """{"choice": 2, "confidence": 0.7, "reason": "stronger"}""" }
            .Act(BatsScript.Answer("Ada"), BatsScript.Answer("Grace"))
            .Verify(BatsScript.Verdict("SUCCESS"), BatsScript.Verdict("SUCCESS"));
        var agent = new BatsAgent(script.Client, new TestTools().All, tracker, new BatsOptions { Mode = BatsMode.Full, MaxAttempts = 2 });

        (AgentRunResult result, _) = await RunAsync(agent);

        Assert.Equal("Grace", result.Answer);
        Assert.Equal(0.7, result.Confidence);
        ChatCall judge = Assert.Single(script.JudgeCalls);
        Assert.Contains("1. Ada", judge.LastUser, StringComparison.Ordinal);
        Assert.Contains("2. Grace", judge.LastUser, StringComparison.Ordinal);
        Assert.Contains("best supported", judge.System, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FullMode_UnusableJudge_FallsBackToMajorityOfVerifiedAnswers()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var script = new BatsScript { JudgeReply = "I like the second", VerifyFallback = BatsScript.Verdict("SUCCESS") }
            .Act(BatsScript.Answer("Ada"), BatsScript.Answer("Grace"), BatsScript.Answer("grace."));
        var agent = new BatsAgent(script.Client, new TestTools().All, tracker, new BatsOptions { Mode = BatsMode.Full, MaxAttempts = 3, JudgeMode = BatsJudgeMode.MajorityVote });

        (AgentRunResult result, _) = await RunAsync(agent);

        Assert.Equal("Grace", result.Answer);
        Assert.Equal(2.0 / 3, result.Confidence!.Value, 3);
        Assert.Contains("majority", Assert.Single(script.JudgeCalls).System, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task FullMode_SameAnswerTwice_NeedsNoJudge()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var script = new BatsScript { VerifyFallback = BatsScript.Verdict("SUCCESS") }.Act(BatsScript.Answer("Ada"), BatsScript.Answer("ada"));
        var agent = new BatsAgent(script.Client, new TestTools().All, tracker, new BatsOptions { Mode = BatsMode.Full, MaxAttempts = 2 });

        (AgentRunResult result, _) = await RunAsync(agent);

        Assert.Equal("Ada", result.Answer);
        Assert.Empty(script.JudgeCalls);
    }

    [Fact]
    public async Task OnlyLatestToolResultStaysInContext()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var script = new BatsScript().Act(Reply.Search("one"), Reply.Search("two"), BatsScript.Answer("Ada"));
        var agent = new BatsAgent(script.Client, new TestTools().All, tracker);

        await RunAsync(agent);

        ChatCall third = script.ActCalls.ElementAt(2);
        string[] toolTexts = [.. third.Messages.Where(m => m.Role == ChatRole.Tool)
            .SelectMany(m => m.Contents).OfType<Microsoft.Extensions.AI.FunctionResultContent>().Select(r => r.Result!.ToString()!)];
        Assert.Equal(2, toolTexts.Length);
        Assert.Contains("older tool result removed", toolTexts[0], StringComparison.Ordinal);
        Assert.Contains("result for two", toolTexts[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterKSteps_OlderReasoningIsCondensed()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var script = new BatsScript().Act(Reply.Search("one"), Reply.Search("two"), Reply.Search("three"), BatsScript.Answer("Ada"));
        var agent = new BatsAgent(script.Client, new TestTools().All, tracker, new BatsOptions { SummarizeAfterIterations = 1 });

        await RunAsync(agent);

        ChatCall third = script.ActCalls.ElementAt(2);
        Assert.Equal(1, ToolMessages(third));
        Assert.Contains("condensed", third.LastUser, StringComparison.Ordinal);
        Assert.DoesNotContain(third.Messages, m => m.Text.Contains("result for one", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReplyWithoutToolOrAnswer_IsNudged()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var script = new BatsScript().Act(Reply.Text("Let me think."), BatsScript.Answer("Ada"));
        var agent = new BatsAgent(script.Client, new TestTools().All, tracker);

        (AgentRunResult result, _) = await RunAsync(agent);

        Assert.Equal("Ada", result.Answer);
        Assert.Contains("<answer>", script.ActCalls.ElementAt(1).Messages[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AttemptCap_EndsGaveUp()
    {
        BudgetTracker tracker = TestTools.Tracker(searchLimit: 1_000);
        var script = new BatsScript();
        var agent = new BatsAgent(script.Client, new TestTools().All, tracker, new BatsOptions { MaxAttempts = 2, MaxIterationsPerAttempt = 3 });

        (AgentRunResult result, List<AgentRunEvent> events) = await RunAsync(agent);

        Assert.Equal(AgentRunStatus.GaveUp, result.Status);
        Assert.Equal(6, script.ActCalls.Count());
        Assert.Equal([1, 2], events.OfType<AttemptStartedEvent>().Select(e => e.Attempt));
        Assert.Contains("MaxAttempts", result.StatusReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelled_MidAttempt_ReportsPlanAndActSpend()
    {
        BudgetTracker tracker = TestTools.Tracker();
        using var cts = new CancellationTokenSource();
        var tools = new TestTools { OnSearch = cts.Cancel };
        var script = new BatsScript();
        var agent = new BatsAgent(script.Client, tools.All, tracker);

        AgentRunResult result = await agent.RunAsync(new AgentRunRequest("q?"), cts.Token);

        Assert.Equal(AgentRunStatus.Cancelled, result.Status);
        Assert.Equal(2 * Reply.InputTokens, result.Cost.InputTokens);
        Assert.Equal(1, result.Cost.ToolUnits["search"]);
        Assert.Equal(2, result.Cost.ModelCalls);
    }

    [Fact]
    public async Task Strategies_ComposeWithBats_UnderOneBudget()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var script = new BatsScript { ActFallback = _ => BatsScript.Answer("Ada"), VerifyFallback = BatsScript.Verdict("SUCCESS") };
        var bats = new BatsAgent(script.Client, new TestTools().All, tracker);

        AgentRunResult result = await new Agents.Planners.Scaling.SelfConsistencyStrategy(
            bats, new Agents.Planners.Scaling.SelfConsistencyOptions { Samples = 3, MaxParallelism = 3 }).RunAsync("q?");

        Assert.Equal("Ada", result.Answer);
        Assert.Equal(1.0, result.Confidence);
        Assert.Equal(3, result.SubRuns.Count);
        Assert.Equal(9, result.Cost.ModelCalls);
        Assert.Equal(tracker.GetSnapshot().InputTokens, result.Cost.InputTokens);
    }

    [Fact]
    public void BadOptions_ThrowNamingTheOption()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var client = new BatsScript().Client;
        var tools = new TestTools().All;
        Assert.Contains("MaxAttempts", Assert.Throws<ArgumentOutOfRangeException>(() => new BatsAgent(client, tools, tracker, new BatsOptions { MaxAttempts = 0 })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatsAgent(client, tools, tracker, new BatsOptions { MaxIterationsPerAttempt = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatsAgent(client, tools, tracker, new BatsOptions { SummarizeAfterIterations = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatsAgent(client, tools, tracker, new BatsOptions { FallbackDecision = VerificationDecision.Success }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatsAgent(client, tools, tracker, new BatsOptions { Mode = (BatsMode)9 }));
        Assert.Contains("BatsPrompts.VerifyUser", Assert.Throws<ArgumentException>(() => new BatsAgent(client, tools, tracker,
            new BatsOptions { Prompts = new BatsPrompts { VerifyUser = "no placeholders" } })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => new BatsAgent(null!, tools, tracker));
        Assert.Throws<ArgumentNullException>(() => new BatsAgent(client, tools, null!));
    }

    [Fact]
    public async Task SpentBudgetBeforeStart_EndsImmediately()
    {
        BudgetTracker tracker = TestTools.Tracker(searchLimit: 1);
        using (BudgetReservation r = tracker.TryReserve("search", 1))
        {
            r.Commit();
        }

        var script = new BatsScript();
        AgentRunResult result = await new BatsAgent(script.Client, new TestTools().All, tracker).RunAsync("q?");

        Assert.Equal(AgentRunStatus.BudgetExhausted, result.Status);
        Assert.Empty(script.Client.Calls);
    }

    [Fact]
    public void PlanReply_Fallbacks_WhenPlannerIgnoresTheFormat()
    {
        BatsPlanReply reply = BatsPlanReply.Parse("I will just search around.", "Who won?");
        Assert.Equal(["Who won?"], reply.Exploration);
        Assert.Empty(reply.Verification);
        Assert.Equal(2, reply.Plan.Steps.Count);

        BatsPlanReply parsed = BatsPlanReply.Parse(BatsScript.DefaultPlan, "q");
        Assert.Equal(["a physicist born in 1950"], parsed.Exploration);
        Assert.Equal(["won the Wolf prize"], parsed.Verification);
    }
}
