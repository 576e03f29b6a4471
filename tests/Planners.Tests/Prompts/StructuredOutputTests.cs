using Agents.Planners.Grading;
using Agents.Planners.Scaling;

namespace Agents.Planners.Tests.Prompts;

/// <summary>The planner, verifier and judge ask for JSON schema output and degrade when the server refuses it.</summary>
public sealed class StructuredOutputTests
{
    private static string? SchemaName(ChatCall call) => (call.Options?.ResponseFormat as ChatResponseFormatJson)?.SchemaName;

    /// <summary>Refuses any request with a response format, like a server without JSON-schema support.</summary>
    private static ChatResponse Refusing(ChatCall call, Func<ChatCall, ChatResponse> answer) => call.Options?.ResponseFormat is not null
        ? throw new InvalidOperationException("400 Bad Request: response_format 'json_schema' is not supported by this model.")
        : answer(call);

    [Fact]
    public async Task Bats_VerifierAndJudge_AskForTheirSchemas_AndTheReplyIsUsed()
    {
        var script = new BatsScript { VerifyFallback = BatsScript.Verdict("SUCCESS") };
        script.Act(BatsScript.Answer("Ada", "1 [x] Found Ada"));
        var agent = new BatsAgent(script.Client, new TestTools().All, TestTools.Tracker());

        AgentRunResult result = await agent.RunAsync("Which physicist?");

        Assert.Equal(AgentRunStatus.Answered, result.Status);
        Assert.Equal("Ada", result.Answer);
        ChatCall verify = Assert.Single(script.VerifyCalls);
        Assert.Equal("verification_report", SchemaName(verify));
        Assert.Contains("\"decision\"", ((ChatResponseFormatJson)verify.Options!.ResponseFormat!).Schema!.Value.GetRawText(), StringComparison.Ordinal);
        Assert.All(script.ActCalls, c => Assert.Null(c.Options!.ResponseFormat));
    }

    [Fact]
    public async Task Bats_ServerRefusesTheSchema_VerifierIsAskedOnceMoreWithoutIt_AndNeverWithItAgain()
    {
        var script = new BatsScript();
        script.Act(BatsScript.Answer("Bob"), BatsScript.Answer("Ada", "1 [x] Found Ada"))
            .Verify(BatsScript.Verdict("CONTINUE"), BatsScript.Verdict("SUCCESS"));
        var model = new ScriptedChatClient(call => Refusing(call, _ => script.Client.GetResponseAsync(call.Messages, call.Options).GetAwaiter().GetResult()));
        var agent = new BatsAgent(model, new TestTools().All, TestTools.Tracker());

        AgentRunResult result = await agent.RunAsync("Which physicist?");

        Assert.Equal(AgentRunStatus.Answered, result.Status);
        Assert.Equal("Ada", result.Answer);
        List<ChatCall> verifies = [.. model.Calls.Where(c => c.System.StartsWith("You are the verifier", StringComparison.Ordinal))];
        Assert.Equal(3, verifies.Count);
        Assert.Equal("verification_report", SchemaName(verifies[0]));
        Assert.Null(verifies[1].Options!.ResponseFormat);
        Assert.Null(verifies[2].Options!.ResponseFormat);
    }

    [Fact]
    public async Task BestOfN_Scorer_AsksForTheScoreSchema_AndDegradesWhenRefused()
    {
        foreach (bool refuse in new[] { false, true })
        {
            Func<ChatCall, ChatResponse> answer = call => call.System.StartsWith("You grade a candidate answer", StringComparison.Ordinal)
                ? Reply.Text("""{"score": 0.8, "reason": "supported"}""")
                : Reply.Text("<answer>42</answer>");
            var verifier = new ScriptedChatClient(call => refuse ? Refusing(call, answer) : answer(call));
            var strategy = new BestOfNStrategy(ScriptedAgent.Answers(TestTools.Tracker(), "42", "41"), verifier, new BestOfNOptions { Samples = 2, MaxParallelism = 1 });

            AgentRunResult result = await strategy.RunAsync("q?");

            Assert.Equal(AgentRunStatus.Answered, result.Status);
            Assert.Equal(0.8, result.Confidence!.Value, 3);
            Assert.Equal("answer_score", SchemaName(verifier.Calls[0]));
            Assert.Equal(refuse ? 3 : 2, verifier.Calls.Count);
        }
    }

    [Fact]
    public async Task PlanAndBudget_PlannerAsksForTheDecompositionSchema_AndDegradesWhenRefused()
    {
        foreach (bool refuse in new[] { false, true })
        {
            Func<ChatCall, ChatResponse> answer = call => call.System.StartsWith("Break the question", StringComparison.Ordinal)
                ? Reply.Text("""{"subquestions":[{"question":"Who wrote X?","complexity":4},{"question":"When was the author born?","complexity":2}]}""")
                : Reply.Text("<answer>1950</answer>");
            var planner = new ScriptedChatClient(call => refuse ? Refusing(call, answer) : answer(call));
            var inner = ScriptedAgent.Answers(TestTools.Tracker(), "Jane Roe", "1950");

            AgentRunResult result = await new PlanAndBudgetStrategy(inner, planner).RunAsync("When was the author of X born?");

            Assert.Equal("1950", result.Answer);
            Assert.Equal(2, inner.Requests.Count);
            Assert.Equal("decomposition", SchemaName(planner.Calls[0]));
            Assert.Equal(refuse ? 3 : 2, planner.Calls.Count);
            Assert.Null(planner.Calls[^1].Options!.ResponseFormat);
        }
    }

    [Fact]
    public async Task LlmJudgeGrader_HonouredSchema_AndRefusedSchema_BothGrade()
    {
        var honouring = new ScriptedChatClient(call => Reply.Text(SchemaName(call) == "grade" ? """{"correct": true, "reason": "same"}""" : "no schema"));
        var refusing = new ScriptedChatClient(call => Refusing(call, _ => Reply.Text("""Sure! {"correct": true, "reason": "same"}""")));

        AnswerGrade honoured = await new LlmJudgeGrader(honouring).GradeAsync("q?", "The French capital", "Paris");
        AnswerGrade degraded = await new LlmJudgeGrader(refusing).GradeAsync("q?", "The French capital", "Paris");
        AnswerGrade again = await new LlmJudgeGrader(refusing).GradeAsync("q?", "Lyon", "Paris");

        Assert.True(honoured.IsCorrect);
        Assert.True(degraded.IsCorrect);
        Assert.True(again.IsCorrect);
        Assert.Single(honouring.Calls);
        Assert.Equal(4, refusing.Calls.Count);
    }

    [Fact]
    public async Task LlmJudgeGrader_AfterARefusal_DoesNotAskForTheSchemaAgain()
    {
        var refusing = new ScriptedChatClient(call => Refusing(call, _ => Reply.Text("""{"correct": false, "reason": "differs"}""")));
        var grader = new LlmJudgeGrader(refusing);

        await grader.GradeAsync("q?", "Lyon", "Paris");
        AnswerGrade second = await grader.GradeAsync("q?", "Nice", "Paris");

        Assert.False(second.IsCorrect);
        Assert.Equal(3, refusing.Calls.Count);
        Assert.Null(refusing.Calls[2].Options!.ResponseFormat);
    }
}
