namespace Agents.Planners.Runs.Events;

/// <summary>A tool call finished (ran, or was refused with a reason the model sees).</summary>
/// <param name="Call">The recorded call.</param>
public sealed record ToolCalledEvent(ToolCallRecord Call) : AgentRunEvent;
