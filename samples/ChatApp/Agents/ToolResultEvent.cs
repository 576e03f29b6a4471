namespace Agents.Samples.ChatApp.Agents;

/// <summary>A tool call finished (or was refused by the budget).</summary>
/// <param name="CallId">The call id from the <see cref="ToolCallEvent"/>.</param>
/// <param name="Tool">The tool name.</param>
/// <param name="Summary">A short, readable summary of the result (untrusted web content).</param>
/// <param name="Executed"><see langword="false"/> when the budget refused the call.</param>
internal sealed record ToolResultEvent(string CallId, string Tool, string Summary, bool Executed = true) : AgentEvent
{
    /// <summary>Gets the search hits or pages of the result, shown as cards; empty for other tools.</summary>
    public IReadOnlyList<ResultCard> Cards { get; init; } = [];

    public override string EventName => "tool_result";
}
