namespace Agents.Plugins.Memory;

/// <summary>One result of a full-text search over the workspace notes.</summary>
/// <param name="Path">The note's path relative to the workspace root, with '/' separators.</param>
/// <param name="Score">The relevance score (higher is better; only comparable within one search).</param>
/// <param name="LineNumber">The 1-based number of the first line that contains a query term, or 0 when none does.</param>
/// <param name="Snippet">That line, shortened; empty when <paramref name="LineNumber"/> is 0.</param>
public sealed record NoteSearchHit(string Path, float Score, int LineNumber, string Snippet);
