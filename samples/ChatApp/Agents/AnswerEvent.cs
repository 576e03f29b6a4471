namespace Agents.Samples.ChatApp.Agents;

/// <summary>The final answer of the run.</summary>
/// <param name="Text">The answer in Markdown (untrusted model output).</param>
/// <param name="Citations">The sources, shown in the sources panel.</param>
/// <param name="Status"><c>answered</c>, <c>budget_exhausted</c> or <c>gave_up</c>.</param>
/// <param name="Confidence">The planner's confidence when it reports one.</param>
internal sealed record AnswerEvent(string Text, IReadOnlyList<Citation> Citations, string Status = "answered", double? Confidence = null) : AgentEvent
{
    /// <summary>Gets the answer rendered by the server (Markdown, then sanitized); the page shows <see cref="Text"/> as text when absent.</summary>
    public string? Html { get; init; }

    /// <summary>Gets whether <see cref="Text"/> is a deep-research report (the page offers it as a Markdown download).</summary>
    public bool IsReport { get; init; }

    public override string EventName => "answer";
}
