namespace Agents.Samples.OfflineWeb.BrowseCompPlus;

/// <summary>One query of a BrowseComp-Plus-style corpus.</summary>
/// <param name="Id">The query id.</param>
/// <param name="Query">The question text.</param>
/// <param name="Answer">The reference answer, when known (from the queries file or the answers file).</param>
public sealed record CorpusQuery(string Id, string Query, string? Answer);
