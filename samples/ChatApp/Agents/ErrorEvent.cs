namespace Agents.Samples.ChatApp.Agents;

/// <summary>The run failed; the message is safe to show.</summary>
/// <param name="Message">What went wrong.</param>
internal sealed record ErrorEvent(string Message) : AgentEvent
{
    public override string EventName => "error";
}
