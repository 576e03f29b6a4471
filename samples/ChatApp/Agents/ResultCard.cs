namespace Agents.Samples.ChatApp.Agents;

/// <summary>One search hit or page read by a tool, shown as a card in the step timeline.</summary>
/// <param name="Title">The hit's or page's title (untrusted web content; shown as text).</param>
/// <param name="Url">The address; the page links only http and https addresses.</param>
/// <param name="Text">The snippet or the start of the page text (untrusted; shown as text).</param>
internal sealed record ResultCard(string Title, string Url, string Text);
