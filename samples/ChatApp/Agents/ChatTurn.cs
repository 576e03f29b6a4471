namespace Agents.Samples.ChatApp.Agents;

/// <summary>One message of a conversation as the server keeps it.</summary>
/// <param name="Role"><c>user</c> or <c>assistant</c>.</param>
/// <param name="Text">The text (untrusted; the page shows it as text, never as HTML).</param>
/// <param name="Citations">The sources of an assistant answer.</param>
internal sealed record ChatTurn(string Role, string Text, IReadOnlyList<Citation> Citations);
