using Agents.Planners.Runs.Events;
using Agents.Planners.Scaling;
using Microsoft.Extensions.Time.Testing;

namespace Agents.Planners.Tests.Runs;

public sealed class AgentRunnerTests
{
    [Fact]
    public async Task ThrowingObserver_DoesNotBreakTheRun()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var agent = new ReActAgent(new ScriptedChatClient(_ => Reply.Text("<answer>ok</answer>")), [], tracker);
        AgentRunResult result = await agent.RunAsync(new AgentRunRequest("q?"), _ => throw new InvalidOperationException("UI crashed"));
        Assert.Equal(AgentRunStatus.Answered, result.Status);
    }

    [Fact]
    public async Task MalformedUsageFromProvider_IsNotCharged_RunContinues()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var model = new ScriptedChatClient(_ => new ChatResponse(new ChatMessage(ChatRole.Assistant, "<answer>ok</answer>"))
        {
            Usage = new UsageDetails { InputTokenCount = 5, CachedInputTokenCount = 50, OutputTokenCount = 1 },
        });
        AgentRunResult result = await new ReActAgent(model, [], tracker).RunAsync("q?");
        Assert.Equal(AgentRunStatus.Answered, result.Status);
        Assert.Equal(0, tracker.GetSnapshot().InputTokens);
    }

    [Fact]
    public async Task Elapsed_UsesTheInjectedClock()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var clock = new FakeTimeProvider();
        var model = new ScriptedChatClient(_ =>
        {
            clock.Advance(TimeSpan.FromSeconds(3));
            return Reply.Text("<answer>ok</answer>");
        });
        AgentRunResult result = await new ReActAgent(model, [], tracker, timeProvider: clock).RunAsync("q?");
        Assert.Equal(TimeSpan.FromSeconds(3), result.Elapsed);
    }

    [Fact]
    public async Task BatsStreaming_GivesUiThePlanVerificationAndFinalResult()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var script = new BatsScript().Act(Reply.Search("x"), BatsScript.Answer("Ada")).Verify(BatsScript.Verdict("SUCCESS"));
        var agent = new BatsAgent(script.Client, new TestTools().All, tracker);

        var events = new List<AgentRunEvent>();
        await foreach (AgentRunEvent e in agent.RunStreamingAsync("Which physicist?"))
        {
            events.Add(e);
        }

        Assert.IsType<RunStartedEvent>(events[0]);
        Assert.Contains(events, e => e is PlanUpdatedEvent);
        Assert.Contains(events, e => e is ToolCalledEvent);
        Assert.Contains(events, e => e is VerificationCompletedEvent);
        Assert.Equal("Ada", Assert.IsType<RunCompletedEvent>(events[^1]).Result.Answer);
        Assert.Equal("bats", events[^1].AgentName);
    }

    [Fact]
    public async Task StrategyStreaming_TagsSubRunEventsWithTheirParent()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var strategy = new SelfConsistencyStrategy(ScriptedAgent.Answers(tracker, "x", "y", "x"), new SelfConsistencyOptions { Samples = 3 });

        var events = new List<AgentRunEvent>();
        await foreach (AgentRunEvent e in strategy.RunStreamingAsync("q?"))
        {
            events.Add(e);
        }

        AgentRunResult final = Assert.IsType<RunCompletedEvent>(events[^1]).Result;
        Assert.Null(events[^1].ParentRunId);
        var subCompleted = events.OfType<RunCompletedEvent>().Where(e => e.ParentRunId == final.RunId).ToList();
        Assert.Equal(3, subCompleted.Count);
        Assert.Equal(3, events.OfType<AttemptStartedEvent>().Count(e => e.RunId == final.RunId));
        Assert.Equal("x", final.Answer);
    }

    [Fact]
    public async Task StreamingCancelledBeforeStart_StillEndsWithCompleted()
    {
        BudgetTracker tracker = TestTools.Tracker();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var model = new ScriptedChatClient(_ => Reply.Text("<answer>never</answer>"));

        var events = new List<AgentRunEvent>();
        await foreach (AgentRunEvent e in new ReActAgent(model, [], tracker).RunStreamingAsync(new AgentRunRequest("q?"), cts.Token))
        {
            events.Add(e);
        }

        Assert.Equal(AgentRunStatus.Cancelled, Assert.IsType<RunCompletedEvent>(events[^1]).Result.Status);
        Assert.Empty(model.Calls);
    }

    [Fact]
    public async Task ConsumerThatStopsReading_CancelsTheRun()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var sawCancellation = new TaskCompletionSource();
        var model = new ScriptedChatClient(async (call, ct) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                sawCancellation.TrySetResult();
                throw;
            }

            return Reply.Text("never");
        });

        await foreach (AgentRunEvent e in new ReActAgent(model, [], tracker).RunStreamingAsync("q?"))
        {
            Assert.IsType<RunStartedEvent>(e);
            break;
        }

        Assert.True(sawCancellation.Task.IsCompleted);
    }

    [Fact]
    public void RunCost_Add_SumsEveryPart()
    {
        var a = new AgentRunCost { InputTokens = 1, OutputTokens = 2, CachedInputTokens = 1, ModelCalls = 1, CostUsd = 0.5m, ToolUnits = new Dictionary<string, long> { ["search"] = 2 } };
        var b = new AgentRunCost { InputTokens = 10, OutputTokens = 20, ModelCalls = 2, CostUsd = 0.25m, ToolUnits = new Dictionary<string, long> { ["SEARCH"] = 1, ["browse"] = 4 } };
        AgentRunCost sum = a.Add(b);
        Assert.Equal(11, sum.InputTokens);
        Assert.Equal(22, sum.OutputTokens);
        Assert.Equal(3, sum.ModelCalls);
        Assert.Equal(0.75m, sum.CostUsd);
        Assert.Equal(3, sum.ToolUnits["search"]);
        Assert.Equal(7, sum.TotalToolUnits);
        Assert.Throws<ArgumentNullException>(() => a.Add(null!));
    }
}
