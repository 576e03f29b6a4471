namespace Agents.Samples.ChatApp.Agents;

/// <summary>The agent called a tool.</summary>
/// <param name="CallId">The call id, matching the <see cref="ToolResultEvent"/>.</param>
/// <param name="Tool">The tool name.</param>
/// <param name="Arguments">The arguments as compact JSON.</param>
internal sealed record ToolCallEvent(string CallId, string Tool, string Arguments) : AgentEvent
{
    public override string EventName => "tool_call";
}
