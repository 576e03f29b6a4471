namespace Agents.Samples.ChatApp.Agents;

/// <summary>The last event of every stream, written by the server.</summary>
/// <param name="Status"><c>completed</c>, <c>cancelled</c>, <c>timed_out</c> or <c>failed</c>.</param>
internal sealed record DoneEvent(string Status) : AgentEvent
{
    /// <summary>Gets the index of the run's assistant turn in the conversation, once it is kept (for links such as the report download).</summary>
    public int? Turn { get; init; }

    public override string EventName => "done";
}
