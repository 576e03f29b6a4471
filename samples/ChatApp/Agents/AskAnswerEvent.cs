namespace Agents.Samples.ChatApp.Agents;

/// <summary>The answer to an <see cref="AskEvent"/>: the receipt of the decision, kept with the run.</summary>
/// <param name="AskId">The ask answered.</param>
/// <param name="Granted">Whether more units were granted.</param>
/// <param name="Units">The units granted; 0 when declined.</param>
/// <param name="By"><c>user</c>, or <c>timeout</c> when nobody answered in time (a decline).</param>
internal sealed record AskAnswerEvent(string AskId, bool Granted, int Units, string By) : AgentEvent
{
    public override string EventName => "ask_answer";
}
