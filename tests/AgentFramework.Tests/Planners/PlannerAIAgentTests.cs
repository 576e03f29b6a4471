using System.Text.Json;
using Agents.Planners.Tests.Fakes;
using Agents.Planners.Bats;
using Agents.Planners.ReAct;
using Agents.Planners.Scaling;
using Agents.Planners.Runs;
using Agents.Planners.Runs.Events;

namespace Agents.AgentFramework.Tests.Planners;

/// <summary>BATS (an <see cref="AgentRunner"/>) used through the Agent Framework's public API.</summary>
public sealed class PlannerAIAgentTests
{
    private static BatsScript PivotScript() => new BatsScript()
        .Act(Reply.Search("physicists born 1950"), BatsScript.Answer("Bob"), BatsScript.Answer("Ada, see [Wolf prize](https://example.org/wolf)", "1.1 [ ] New lead: Wolf laureates"))
        .Verify(BatsScript.Verdict("PIVOT", summary: "Bob was born in 1948"), BatsScript.Verdict("SUCCESS"));

    [Fact]
    public async Task BatsAgent_AsAIAgent_AnswersPivotsAndReportsSpend()
    {
        BudgetTracker tracker = TestTools.Tracker();
        BatsScript script = PivotScript();
        AIAgent agent = new BatsAgent(script.Client, new TestTools().All, tracker).AsAIAgent("Answers with BATS.");

        AgentResponse response = await agent.RunAsync("Which physicist?");

        Assert.Equal("bats", agent.Name);
        Assert.StartsWith("Ada", response.Text, StringComparison.Ordinal);
        ChatMessage answer = Assert.Single(response.Messages);
        CitationAnnotation citation = Assert.IsType<CitationAnnotation>(Assert.Single(answer.Contents[0].Annotations!));
        Assert.Equal(new Uri("https://example.org/wolf"), citation.Url);
        Assert.Equal("Wolf prize", citation.Title);
        Assert.NotNull(response.AdditionalProperties);
        Assert.Equal(nameof(AgentRunStatus.Answered), response.AdditionalProperties[PlannerAgentKeys.Status]);
        Assert.Equal(1.0, response.AdditionalProperties[PlannerAgentKeys.Confidence]);
        AgentRunResult result = Assert.IsType<AgentRunResult>(response.AdditionalProperties[PlannerAgentKeys.Result]);
        Assert.Equal("bats", result.AgentName);
        Assert.Equal(2, script.VerifyCalls.Count());
        Assert.Contains(script.ActCalls, c => c.LastUser.Contains("PIVOT", StringComparison.Ordinal) && c.LastUser.Contains("Bob was born in 1948", StringComparison.Ordinal));
        AgentRunCost cost = Assert.IsType<AgentRunCost>(response.AdditionalProperties[PlannerAgentKeys.Cost]);
        Assert.Equal(1, cost.ToolUnits["search"]);
        Assert.True(cost.CostUsd > 0);
        Assert.Equal(cost.InputTokens, response.Usage!.InputTokenCount);
        Assert.Equal(script.Client.Calls.Count * Reply.InputTokens, response.Usage.InputTokenCount);
        BudgetSnapshot snapshot = Assert.IsType<BudgetSnapshot>(response.AdditionalProperties[BudgetAgentKeys.Snapshot]);
        Assert.Equal(1, snapshot.GetCategory("search")!.Used);
    }

    [Fact]
    public async Task BatsAgent_Streaming_StreamsPlanToolCallsVerificationAndBudget_ThenTheAnswer()
    {
        BudgetTracker tracker = TestTools.Tracker();
        BatsScript script = PivotScript();
        AIAgent agent = new BatsAgent(script.Client, new TestTools().All, tracker).AsAIAgent();

        List<AgentResponseUpdate> updates = [];
        await foreach (AgentResponseUpdate update in agent.RunStreamingAsync("Which physicist?"))
        {
            updates.Add(update);
        }

        List<AgentRunEvent> events = [.. updates.Select(u => u.AdditionalProperties?[PlannerAgentKeys.Event]).OfType<AgentRunEvent>()];
        Assert.Equal(updates.Count, events.Count); // every update carries the step it renders
        Assert.Contains(updates, u => u.Contents.OfType<TextReasoningContent>().Any(r => r.Text.StartsWith("Plan:\n1 [ ] Find physicists", StringComparison.Ordinal)));
        FunctionCallContent call = updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>().Single();
        Assert.Equal("search", call.Name);
        Assert.True(call.InformationalOnly);
        FunctionResultContent toolResult = updates.Where(u => u.Role == ChatRole.Tool).SelectMany(u => u.Contents).OfType<FunctionResultContent>().Single();
        Assert.Contains("<budget>", toolResult.Result?.ToString(), StringComparison.Ordinal);
        Assert.Contains(updates, u => u.Contents.OfType<TextReasoningContent>().Any(r => r.Text.StartsWith("Verification: Pivot", StringComparison.Ordinal)));
        Assert.Contains(events, e => e is BudgetChangedEvent);
        List<AnswerDeltaEvent> deltas = [.. events.OfType<AnswerDeltaEvent>()];
        Assert.Contains(deltas, d => d.Purpose == "act" && d.Text.Contains("Ada", StringComparison.Ordinal)); // the answer turn streamed
        Assert.DoesNotContain(deltas, d => d.Purpose is "plan" or "verify");
        Assert.All(updates.Where(u => u.AdditionalProperties![PlannerAgentKeys.Event] is AnswerDeltaEvent), u => Assert.IsType<TextReasoningContent>(Assert.Single(u.Contents)));

        AgentResponseUpdate last = updates[^1];
        Assert.IsType<RunCompletedEvent>(last.AdditionalProperties![PlannerAgentKeys.Event]);
        Assert.StartsWith("Ada", last.Text, StringComparison.Ordinal);
        Assert.Equal(nameof(AgentRunStatus.Answered), last.AdditionalProperties[PlannerAgentKeys.Status]);
        Assert.Equal(updates.Count - 1, updates.FindIndex(u => u.Contents.OfType<TextContent>().Any()));
        AgentResponse response = updates.ToAgentResponse();
        Assert.StartsWith("Ada", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SerializedSession_ResumesInAFreshAgent_WithItsBudgetAndConversation()
    {
        string json;
        {
            BudgetTracker tracker = TestTools.Tracker(searchLimit: 3);
            var script = new BatsScript().Act(Reply.Search("a", "b"), BatsScript.Answer("Ada")).Verify(BatsScript.Verdict("SUCCESS"));
            AIAgent agent = new BatsAgent(script.Client, new TestTools().All, tracker).AsAIAgent();
            AgentSession session = await agent.CreateSessionAsync();
            AgentResponse first = await agent.RunAsync("Which physicist?", session);
            Assert.Equal("Ada", first.Text);
            Assert.Equal(2, tracker.GetSnapshot().GetCategory("search")!.Used);
            json = JsonSerializer.Serialize(await agent.SerializeSessionAsync(session));
        }

        // A fresh object graph: new tracker, tools, model and agent; only the JSON crosses over.
        BudgetTracker fresh = TestTools.Tracker(searchLimit: 3);
        var tools = new TestTools();
        var next = new BatsScript().Act(Reply.Search("c", "d"), BatsScript.Answer("Ada again"), BatsScript.Answer("no search")).Verify(BatsScript.Verdict("SUCCESS"), BatsScript.Verdict("SUCCESS"));
        AIAgent resumed = new BatsAgent(next.Client, tools.All, fresh).AsAIAgent();
        AgentSession restored = await resumed.DeserializeSessionAsync(JsonDocument.Parse(json).RootElement);

        AgentResponse second = await resumed.RunAsync("And who else?", restored);

        Assert.Equal(0, tools.SearchCalls);
        AgentRunResult result = Assert.IsType<AgentRunResult>(second.AdditionalProperties![PlannerAgentKeys.Result]);
        Assert.Contains("1 unit(s) left", result.Trajectory.ToolCalls[0].Result, StringComparison.Ordinal);
        Assert.Equal(2, fresh.GetSnapshot().GetCategory("search")!.Used);
        Assert.Contains("Earlier in this conversation:\nQ: Which physicist?\nA: Ada", next.ActCalls.First().AllText, StringComparison.Ordinal);

        // Running the same session again does not restore its spend a second time.
        await resumed.RunAsync("One more?", restored);
        Assert.Equal(2, fresh.GetSnapshot().GetCategory("search")!.Used);
    }

    [Fact]
    public async Task ReActAndAScalingStrategy_AreAIAgentsToo_AndStreamTheirSamples()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var model = new ScriptedChatClient(call => Reply.Text(call.Index == 1 ? "<answer>Lyon</answer>" : "<answer>Paris</answer><confidence>0.8</confidence>"));
        var react = new ReActAgent(model, new TestTools().All, tracker);
        AIAgent strategy = new SelfConsistencyStrategy(react, new SelfConsistencyOptions { Samples = 3 }).AsAIAgent();

        List<AgentResponseUpdate> updates = [];
        await foreach (AgentResponseUpdate update in strategy.RunStreamingAsync("Capital of France?"))
        {
            updates.Add(update);
        }

        AgentResponse response = updates.ToAgentResponse();
        Assert.Equal("Paris", response.Text);
        List<RunCompletedEvent> samples = [.. updates.Select(u => u.AdditionalProperties?[PlannerAgentKeys.Event]).OfType<RunCompletedEvent>().Where(e => e.ParentRunId is not null)];
        Assert.Equal(3, samples.Count);
        Assert.Equal(["Lyon", "Paris", "Paris"], samples.Select(s => s.Result.Answer!).Order(StringComparer.Ordinal));
        AgentRunResult result = Assert.IsType<AgentRunResult>(updates[^1].AdditionalProperties![PlannerAgentKeys.Result]);
        Assert.Equal(3, result.SubRuns.Count);
        Assert.Equal(3, result.Cost.ModelCalls);

        AgentResponse plain = await react.AsAIAgent().RunAsync("Capital of France?");
        Assert.Equal("Paris", plain.Text);
        Assert.Equal(0.8, plain.AdditionalProperties![PlannerAgentKeys.Confidence]);
    }
}
