using Agents.Planners.Runs.Events;

namespace Agents.Planners.Tests.Runs;

public sealed class AnswerStreamingTests
{
    private static async Task<(List<AgentRunEvent> Events, AgentRunResult Result)> RunAsync(AgentRunner agent, AgentRunRequest request)
    {
        var events = new List<AgentRunEvent>();
        await foreach (AgentRunEvent e in agent.RunStreamingAsync(request))
        {
            events.Add(e);
        }

        return (events, events.OfType<RunCompletedEvent>().Single().Result);
    }

    [Fact]
    public async Task ReAct_streams_the_answer_in_pieces_and_counts_the_same_spend()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var tools = new TestTools();
        const string answer = "<answer>The Seine flows through Paris.</answer>";
        var model = new PieceStreamingChatClient(c => c.Index == 0 ? Reply.Search("paris river") : Reply.Text(answer), pieceLength: 4);
        var agent = new ReActAgent(model, tools.All, tracker);

        (List<AgentRunEvent> events, AgentRunResult result) = await RunAsync(agent, new AgentRunRequest("Which river?") { StreamAnswer = true });

        Assert.Equal(AgentRunStatus.Answered, result.Status);
        Assert.Equal("The Seine flows through Paris.", result.Answer);
        List<AnswerDeltaEvent> deltas = [.. events.OfType<AnswerDeltaEvent>()];
        Assert.True(deltas.Count > 5, $"only {deltas.Count} pieces");
        Assert.Equal(answer, string.Concat(deltas.Select(d => d.Text)));
        Assert.All(deltas, d => Assert.Equal("act", d.Purpose));
        Assert.All(deltas, d => Assert.Equal(result.RunId, d.RunId));
        int completed = events.FindIndex(e => e is RunCompletedEvent);
        Assert.True(events.FindLastIndex(e => e is AnswerDeltaEvent) < completed);

        // Same spend as a whole reply: usage from the stream's last update, tools charged.
        Assert.Equal(2, model.StreamingCalls);
        Assert.Equal(0, model.WholeCalls);
        Assert.Equal(2 * Reply.InputTokens, result.Cost.InputTokens);
        Assert.Equal(2 * Reply.OutputTokens, tracker.GetSnapshot().OutputTokens);
        Assert.Equal(1, tools.SearchCalls);
    }

    [Fact]
    public async Task Without_StreamAnswer_or_without_an_observer_replies_arrive_whole()
    {
        var model = new PieceStreamingChatClient(_ => Reply.Text("<answer>42</answer>"));
        var agent = new ReActAgent(model, new TestTools().All, TestTools.Tracker());

        (List<AgentRunEvent> events, _) = await RunAsync(agent, new AgentRunRequest("q?"));
        Assert.Empty(events.OfType<AnswerDeltaEvent>());
        AgentRunResult quiet = await agent.RunAsync(new AgentRunRequest("q?") { StreamAnswer = true });

        Assert.Equal("42", quiet.Answer);
        Assert.Equal(0, model.StreamingCalls);
        Assert.Equal(2, model.WholeCalls);
    }

    [Fact]
    public async Task A_stream_that_breaks_mid_answer_ends_the_run_as_a_failed_model_call_and_keeps_the_spend_so_far()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var tools = new TestTools();
        var model = new PieceStreamingChatClient(c => c.Index == 0 ? Reply.Search("x") : Reply.Text("<answer>a long answer that breaks</answer>"), pieceLength: 2, failAfterPieces: 3);
        var agent = new ReActAgent(model, tools.All, tracker);

        (List<AgentRunEvent> events, AgentRunResult result) = await RunAsync(agent, new AgentRunRequest("q?") { StreamAnswer = true });

        Assert.NotEqual(AgentRunStatus.Answered, result.Status);
        Assert.Equal(1, tools.SearchCalls);
        Assert.Equal(1, tracker.GetSnapshot().GetCategory("search")!.Used); // the executed search stays charged
        Assert.Equal(Reply.InputTokens, tracker.GetSnapshot().InputTokens); // the first call's usage stays counted
    }

    [Fact]
    public async Task Bats_streams_its_answer_turns_but_not_its_structured_plan_and_verdict()
    {
        var script = new BatsScript().Act(Reply.Text("<answer>Ada Lovelace</answer>"));
        var model = new PieceStreamingChatClient(call => script.Client.GetResponseAsync(call.Messages, call.Options).GetAwaiter().GetResult(), pieceLength: 5);
        var agent = new BatsAgent(model, new TestTools().All, TestTools.Tracker());

        (List<AgentRunEvent> events, AgentRunResult result) = await RunAsync(agent, new AgentRunRequest("q?") { StreamAnswer = true });

        Assert.Equal(AgentRunStatus.Answered, result.Status);
        List<AnswerDeltaEvent> deltas = [.. events.OfType<AnswerDeltaEvent>()];
        Assert.NotEmpty(deltas);
        Assert.DoesNotContain(deltas, d => d.Purpose is "plan" or "verify" or "verify-repair");
        Assert.Contains("Ada Lovelace", string.Concat(deltas.Where(d => d.Purpose == "act").Select(d => d.Text)), StringComparison.Ordinal);
    }
}
