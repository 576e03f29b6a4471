namespace Agents.Samples.ChatApp.Agents;

/// <summary>A tool call finished (or was refused by the budget).</summary>
/// <param name="CallId">The call id from the <see cref="ToolCallEvent"/>.</param>
/// <param name="Tool">The tool name.</param>
/// <param name="Summary">A short summary of the result (untrusted web content).</param>
/// <param name="Executed"><see langword="false"/> when the budget refused the call.</param>
internal sealed record ToolResultEvent(string CallId, string Tool, string Summary, bool Executed = true) : AgentEvent
{
    public override string EventName => "tool_result";
}
