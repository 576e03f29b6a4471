namespace Agents.Samples.ChatApp.Tests.Fakes;

/// <summary>
/// Scripted replies of a model that BATS asks to plan, verify and judge (told apart by the system prompt): a plan of
/// one step, a verification that accepts the answer, and the choice of the only candidate. 100 tokens in, 10 out.
/// </summary>
internal static class BatsRoles
{
    /// <summary>A reply with <paramref name="text"/> and 100 input and 10 output tokens of usage.</summary>
    public static ChatResponse Reply(string text) =>
        new(new ChatMessage(ChatRole.Assistant, text)) { Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 10 } };

    /// <summary>The planner's, verifier's or judge's reply; <see langword="null"/> where the call is the agent's own.</summary>
    public static ChatResponse? Answer(IReadOnlyList<ChatMessage> messages, string step, string trajectory)
    {
        var system = messages[0].Text;
        if (system.Contains("You are the planner", StringComparison.Ordinal))
        {
            return Reply("<exploration>\n- a .NET search library\n</exploration>\n<verification>\n- it is embedded\n</verification>\n<plan>\n1 [ ] " + step + "\n</plan>");
        }

        if (system.Contains("You are the verifier", StringComparison.Ordinal))
        {
            return Reply("{\"verification\":[{\"constraint\":\"it is embedded\",\"status\":\"satisfied\",\"evidence\":\"lucene.md\"}],\"decision\":\"SUCCESS\",\"justification\":\"lucene.md says embedded\",\"trajectory_summary\":\"" + trajectory + "\",\"details\":{\"failure_analysis\":\"\",\"useful_findings\":\"\",\"recommendations\":\"\",\"backtrack_to\":\"\"}}");
        }

        return system.Contains("You are the judge", StringComparison.Ordinal)
            ? Reply("{\"choice\": 1, \"confidence\": 0.9, \"reason\": \"only one\"}")
            : null;
    }
}
