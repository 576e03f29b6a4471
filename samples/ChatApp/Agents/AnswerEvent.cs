namespace Agents.Samples.ChatApp.Agents;

/// <summary>The final answer of the run.</summary>
/// <param name="Text">The answer (untrusted model output; shown as text).</param>
/// <param name="Citations">The sources, shown as links.</param>
/// <param name="Status"><c>answered</c>, <c>budget_exhausted</c> or <c>gave_up</c>.</param>
/// <param name="Confidence">The planner's confidence when it reports one.</param>
internal sealed record AnswerEvent(string Text, IReadOnlyList<Citation> Citations, string Status = "answered", double? Confidence = null) : AgentEvent
{
    public override string EventName => "answer";
}
