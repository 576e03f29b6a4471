using Microsoft.Extensions.AI;

namespace Agents.AgentFramework.Tests.Fakes.Planners;

/// <summary>A fake model that follows the BATS protocol: it routes each call by phase (plan, act, verify, judge).</summary>
internal sealed class BatsScript
{
    public const string DefaultPlan = """
        <exploration>
        - a physicist born in 1950
        </exploration>
        <verification>
        - won the Wolf prize
        </verification>
        <plan>
        1 [ ] Find physicists born in 1950
        2 [ ] Check the Wolf prize
        </plan>
        """;

    private readonly Queue<ChatResponse> _act = new();
    private readonly Queue<string> _verify = new();

    public BatsScript() => Client = new PlannerChatClient(Route);

    public PlannerChatClient Client { get; }

    public string PlanReply { get; set; } = DefaultPlan;

    public Func<ChatCall, ChatResponse> ActFallback { get; set; } = _ => Reply.Search("more");

    public string VerifyFallback { get; set; } = Verdict("SUCCESS");

    public string JudgeReply { get; set; } = """{"choice": 1, "confidence": 0.5}""";

    public IEnumerable<ChatCall> ActCalls => Client.Calls.Where(c => c.HasTools);

    public IEnumerable<ChatCall> VerifyCalls => Client.Calls.Where(c => c.System.StartsWith("You are the verifier", StringComparison.Ordinal));

    public IEnumerable<ChatCall> JudgeCalls => Client.Calls.Where(c => c.System.StartsWith("You are the judge", StringComparison.Ordinal));

    public BatsScript Act(params ChatResponse[] replies)
    {
        foreach (ChatResponse reply in replies)
        {
            _act.Enqueue(reply);
        }

        return this;
    }

    public BatsScript Verify(params string[] replies)
    {
        foreach (string reply in replies)
        {
            _verify.Enqueue(reply);
        }

        return this;
    }

    public static ChatResponse Answer(string answer, string planUpdate = "") =>
        Reply.Text((planUpdate.Length > 0 ? "<plan_update>\n" + planUpdate + "\n</plan_update>\n" : string.Empty) + "<answer>" + answer + "</answer>");

    public static string Verdict(string decision, string summary = "tried things", string recommendations = "look elsewhere", string status = "satisfied") =>
        $$$"""{"verification":[{"constraint":"born 1950","status":"{{{status}}}","evidence":"e"}],"decision":"{{{decision}}}","justification":"j","trajectory_summary":"{{{summary}}}","details":{"failure_analysis":"fa","useful_findings":"uf","recommendations":"{{{recommendations}}}","backtrack_to":"1"}}""";

    private ChatResponse Route(ChatCall call)
    {
        string system = call.System;
        if (system.StartsWith("You are the planner", StringComparison.Ordinal))
        {
            return Reply.Text(PlanReply);
        }

        if (system.StartsWith("You are the verifier", StringComparison.Ordinal))
        {
            lock (_verify)
            {
                return Reply.Text(_verify.Count > 0 ? _verify.Dequeue() : VerifyFallback);
            }
        }

        if (system.StartsWith("You are the judge", StringComparison.Ordinal))
        {
            return Reply.Text(JudgeReply);
        }

        if (!call.HasTools)
        {
            return Reply.Text("<answer>final without tools</answer>");
        }

        lock (_act)
        {
            return _act.Count > 0 ? _act.Dequeue() : ActFallback(call);
        }
    }
}
