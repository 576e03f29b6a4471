namespace Agents.Plugins.Extraction;

/// <summary>Readable text of a document, its title and its outgoing links.</summary>
internal sealed record ExtractedDocument(string Title, string Text, IReadOnlyList<ExtractedLink> Links);

/// <summary>One outgoing link of a page.</summary>
internal sealed record ExtractedLink(string Text, Uri Url);
