namespace Agents.Planners.Runs.Events;

/// <summary>
/// A piece of model text as it arrives, raised only for runs whose request sets
/// <see cref="AgentRunRequest.StreamAnswer"/>: a UI shows the answer growing, then replaces it with the final answer of
/// <see cref="RunCompletedEvent"/>. Only the calls whose reply can be the answer stream (purposes <c>act</c>,
/// <c>final-answer</c> and <c>synthesize</c>); plans, verdicts, judgements and scores arrive whole.
/// </summary>
/// <param name="Purpose">What the model call was for: <c>act</c> (a turn that may answer or call tools; one that
/// ends in tool calls may stream some reasoning text first), <c>final-answer</c> or <c>synthesize</c>.</param>
/// <param name="Text">The new text.</param>
public sealed record AnswerDeltaEvent(string Purpose, string Text) : AgentRunEvent;
