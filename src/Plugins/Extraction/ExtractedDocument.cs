namespace Agents.Plugins.Extraction;

/// <summary>Readable text of a document, its title and its outgoing links, as <see cref="ContentExtractor"/> returns them.</summary>
/// <param name="Title">The document's title; empty when it has none.</param>
/// <param name="Text">The readable text: lines trimmed, runs of spaces collapsed, at most one empty line between blocks.</param>
/// <param name="Links">The outgoing http(s) links, in document order, without fragments and without repeats.</param>
public sealed record ExtractedDocument(string Title, string Text, IReadOnlyList<ExtractedLink> Links);
