namespace Agents.Samples.ChatApp.Agents;

/// <summary>One message of a conversation as the server keeps it.</summary>
/// <param name="Role"><c>user</c> or <c>assistant</c>.</param>
/// <param name="Text">The text (untrusted; the page shows it as text, or the server-rendered <see cref="Html"/>).</param>
/// <param name="Citations">The sources of an assistant answer.</param>
internal sealed record ChatTurn(string Role, string Text, IReadOnlyList<Citation> Citations)
{
    /// <summary>Gets the answer rendered by the server (sanitized HTML), for assistant answers.</summary>
    public string? Html { get; init; }

    /// <summary>Gets whether <see cref="Text"/> is a deep-research report, downloadable as Markdown.</summary>
    public bool IsReport { get; init; }

    /// <summary>Gets the run's events (steps, the last budget, the answer and how it ended), so a reload shows the whole run.</summary>
    public IReadOnlyList<AgentEvent>? Events { get; init; }
}
