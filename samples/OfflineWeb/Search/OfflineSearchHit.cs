namespace Agents.Samples.OfflineWeb.Search;

/// <summary>One ranked hit of the offline search endpoint.</summary>
/// <param name="Path">The page's site-relative path.</param>
/// <param name="Title">The page title.</param>
/// <param name="Snippet">The first sentence(s) of the page text.</param>
/// <param name="Score">BM25 score (higher is better).</param>
public sealed record OfflineSearchHit(string Path, string Title, string Snippet, double Score);
