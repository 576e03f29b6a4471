namespace Agents.Samples.ChatApp.Agents;

/// <summary>
/// A piece of the model's text as it arrives, for the page to show the answer growing. Not kept with the run: the
/// final <see cref="AnswerEvent"/> replaces it.
/// </summary>
/// <param name="Text">The new text (untrusted: the page shows it as text).</param>
/// <param name="Purpose">The model call it comes from (<c>act</c>, <c>final-answer</c>, <c>synthesize</c>).</param>
internal sealed record DeltaEvent(string Text, string Purpose) : AgentEvent
{
    /// <inheritdoc/>
    public override string EventName => "delta";
}
