namespace Agents.Samples.ChatApp.Agents;

/// <summary>The last event of every stream, written by the server.</summary>
/// <param name="Status"><c>completed</c>, <c>cancelled</c>, <c>timed_out</c> or <c>failed</c>.</param>
internal sealed record DoneEvent(string Status) : AgentEvent
{
    public override string EventName => "done";
}
