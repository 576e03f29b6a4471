using System.Diagnostics;
using System.Text.Json;
using Agents.Budget.Tests.Fakes;

namespace Agents.AgentFramework.Tests.Budget;

/// <summary>Exhaustion that asks: a spent category pauses the run with an approval request; granting more resumes it.</summary>
public sealed class BudgetAskTests
{
    /// <summary>Searches (two queries a call) until three searches ran, then answers.</summary>
    private static ScriptedChatClient ThreeSearches() => new((messages, options, turn) =>
    {
        int ran = Script.AllToolResults(messages).Count(r => r.StartsWith("results for", StringComparison.Ordinal));
        return ran < 3 && options?.Tools is { Count: > 0 } && turn < 12
            ? Script.ToolCalls("search", 1, 2, 10, 2, turn)
            : Script.Answer("final answer", 10, 2);
    });

    private static (AIAgent Agent, Func<int> Ran) Build(IChatClient model, BudgetTracker tracker, BudgetReceiptLog receipts)
    {
        int ran = 0;
        AIFunction search = AIFunctionFactory.Create(
            [BudgetCategory("search", UnitsArgument = "queries")] (string[] queries) =>
            {
                Interlocked.Add(ref ran, queries.Length);
                return "results for " + string.Join(",", queries);
            },
            "search");
        AIAgent agent = model.AsAIAgent(instructions: "x", tools: [search])
            .AsBuilder()
            .UseBudgetTracker(tracker, o =>
            {
                o.AskForMoreUnits = 4;
                o.Receipts = receipts;
            })
            .Build();
        return (agent, () => Volatile.Read(ref ran));
    }

    private static async Task<AgentResponse> RunAsync(AIAgent agent, ChatMessage message, AgentSession session, bool streaming) =>
        streaming ? await agent.RunStreamingAsync(message, session).ToAgentResponseAsync() : await agent.RunAsync(message, session);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SpentCategory_PausesWithAnApprovalRequest_AndGrantingMoreResumesTheRun_WithReceipts(bool streaming)
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 4));
        var logs = new ListLoggerFactory();
        var receipts = new BudgetReceiptLog(logs);
        var seen = new List<BudgetReceipt>();
        receipts.Recorded += (_, r) => seen.Add(r);
        ScriptedChatClient model = ThreeSearches();
        (AIAgent agent, Func<int> ran) = Build(model, tracker, receipts);
        using var source = new ActivitySource("receipts-test");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "receipts-test",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        AgentSession session = await agent.CreateSessionAsync();

        AgentResponse paused;
        using (Activity? span = source.StartActivity("run"))
        {
            paused = await RunAsync(agent, new ChatMessage(ChatRole.User, "find it"), session, streaming);
            Assert.Equal("refused", span!.GetTagItem(BudgetReceiptLog.DecisionTag));
            Assert.Equal(
                ["granted", "exhausted", "granted", "refused"],
                span.Events.Where(e => e.Name == BudgetReceiptLog.ActivityEventName).Select(e => e.Tags.First(t => t.Key == "kind").Value));
        }

        Assert.Equal(4, ran());
        ToolApprovalRequestContent request = paused.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().Single();
        Assert.Equal("search", Assert.IsType<FunctionCallContent>(request.ToolCall).Name);
        Assert.Contains("The search budget is spent; continue with 4 more?", paused.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("final answer", paused.Text, StringComparison.Ordinal);
        int callsBefore = model.Calls.Count;

        AgentResponse resumed = await RunAsync(agent, new ChatMessage(ChatRole.User, [request.CreateResponse(approved: true)]), session, streaming);

        Assert.Equal(6, ran());
        Assert.Equal("final answer", resumed.Messages[^1].Text);
        Assert.Equal(8, tracker.GetSnapshot().GetCategory("search")!.Limit);
        List<ChatMessage> firstResumedCall = model.Calls[callsBefore].Messages;
        Assert.Contains(firstResumedCall, m => m.Role == ChatRole.User && m.Text.Contains("granted 4 more search unit(s)", StringComparison.Ordinal));
        Assert.DoesNotContain(firstResumedCall, m => m.Contents.OfType<ToolApprovalResponseContent>().Any());
        Assert.Contains(firstResumedCall, m => m.Contents.OfType<FunctionResultContent>().Any(r => r.Result?.ToString()?.Contains("not executed", StringComparison.Ordinal) == true));
        Assert.Equal(
            [BudgetReceiptKind.Granted, BudgetReceiptKind.Exhausted, BudgetReceiptKind.Granted, BudgetReceiptKind.Refused, BudgetReceiptKind.Extended, BudgetReceiptKind.Granted],
            receipts.GetReceipts().Select(r => r.Kind));
        Assert.Equal(receipts.GetReceipts(), seen);
        Assert.Contains(logs.Entries, e => e.Message.Contains("Budget receipt: Extended search 4 unit(s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DecliningMore_MakesTheModelAnswerWithoutTools_AndRecordsTheRefusal()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 4));
        var receipts = new BudgetReceiptLog();
        ScriptedChatClient model = ThreeSearches();
        (AIAgent agent, Func<int> ran) = Build(model, tracker, receipts);
        AgentSession session = await agent.CreateSessionAsync();
        AgentResponse paused = await agent.RunAsync("find it", session);
        ToolApprovalRequestContent request = paused.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().Single();

        AgentResponse answered = await agent.RunAsync(new ChatMessage(ChatRole.User, [request.CreateResponse(approved: false, reason: "too expensive")]), session);

        Assert.Equal("final answer", answered.Messages[^1].Text);
        Assert.Equal(4, ran());
        Assert.True(model.Calls[^1].Options?.Tools is null or { Count: 0 });
        Assert.Contains(model.Calls[^1].Messages, m => m.Text.Contains("declined more search budget", StringComparison.Ordinal));
        BudgetReceipt declined = receipts.GetReceipts().Single(r => r.Kind == BudgetReceiptKind.Declined);
        Assert.Equal("too expensive", declined.Detail);
        Assert.Equal(4, tracker.GetSnapshot().GetCategory("search")!.Limit);
    }

    [Fact]
    public async Task APausedSession_ResumesInAFreshAgent_AfterSerialization()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 4));
        (AIAgent agent, _) = Build(ThreeSearches(), tracker, new BudgetReceiptLog());
        AgentSession session = await agent.CreateSessionAsync();
        AgentResponse paused = await agent.RunAsync("find it", session);
        ToolApprovalRequestContent request = paused.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().Single();
        string json = JsonSerializer.Serialize(await agent.SerializeSessionAsync(session));

        var fresh = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 4));
        ScriptedChatClient model = ThreeSearches();
        (AIAgent resumedAgent, Func<int> ran) = Build(model, fresh, new BudgetReceiptLog());
        AgentSession restored = await resumedAgent.DeserializeSessionAsync(JsonDocument.Parse(json).RootElement);

        AgentResponse resumed = await resumedAgent.RunAsync(new ChatMessage(ChatRole.User, [request.CreateResponse(approved: true)]), restored);

        Assert.Equal("final answer", resumed.Messages[^1].Text);
        Assert.Equal(2, ran());
        BudgetCategorySnapshot search = fresh.GetSnapshot().GetCategory("search")!;
        Assert.Equal(6, search.Used);
        Assert.Equal(8, search.Limit);
    }
}
