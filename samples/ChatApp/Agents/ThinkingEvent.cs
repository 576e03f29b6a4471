namespace Agents.Samples.ChatApp.Agents;

/// <summary>A reasoning step, plan update or verification the agent produced.</summary>
/// <param name="Text">The step text (untrusted model output).</param>
/// <param name="Label">A short label such as <c>plan</c>, <c>verify</c> or <c>step</c>.</param>
internal sealed record ThinkingEvent(string Text, string Label = "step") : AgentEvent
{
    public override string EventName => "thinking";
}
