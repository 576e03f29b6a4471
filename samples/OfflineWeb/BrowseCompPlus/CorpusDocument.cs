namespace Agents.Samples.OfflineWeb.BrowseCompPlus;

/// <summary>One document of a BrowseComp-Plus-style corpus.</summary>
/// <param name="DocId">The document id.</param>
/// <param name="Text">The document text.</param>
/// <param name="Url">The source URL, when known.</param>
/// <param name="Title">The title, when known.</param>
public sealed record CorpusDocument(string DocId, string Text, string? Url, string? Title);
