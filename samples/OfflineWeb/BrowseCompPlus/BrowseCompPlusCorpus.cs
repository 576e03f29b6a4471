using Agents.Samples.OfflineWeb.Jsonl;

namespace Agents.Samples.OfflineWeb.BrowseCompPlus;

/// <summary>A loaded BrowseComp-Plus-style corpus: documents, queries with answers, and the lines that could not be used.</summary>
/// <param name="Documents">The documents, in file order.</param>
/// <param name="Queries">The queries, in file order.</param>
/// <param name="Problems">Unusable lines (malformed JSON, missing fields, duplicates, answers for unknown queries).</param>
public sealed record BrowseCompPlusCorpus(
    IReadOnlyList<CorpusDocument> Documents,
    IReadOnlyList<CorpusQuery> Queries,
    IReadOnlyList<JsonlProblem> Problems);
