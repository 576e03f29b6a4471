namespace Agents.Plugins.Extraction;

/// <summary>One outgoing link of a page, as <see cref="ContentExtractor.FromHtml"/> returns it.</summary>
/// <param name="Text">The link's text, white space collapsed.</param>
/// <param name="Url">The absolute http(s) address, without its fragment.</param>
public sealed record ExtractedLink(string Text, Uri Url);
