namespace Agents.Planners.Runs.Events;

/// <summary>The model answered one call.</summary>
/// <param name="Purpose">What the call was for (for example <c>act</c>, <c>plan</c>, <c>verify</c>, <c>judge</c>).</param>
/// <param name="Text">The reply text (may be empty when the model only called tools).</param>
/// <param name="ToolCalls">Names of the tools the model asked for.</param>
/// <param name="Usage">Token usage the model reported, if any.</param>
public sealed record ModelRespondedEvent(string Purpose, string Text, IReadOnlyList<string> ToolCalls, UsageDetails? Usage) : AgentRunEvent;
