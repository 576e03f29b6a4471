namespace Agents.Plugins.Search.Local;

/// <summary>What one scan of the documents folder changed in the local index.</summary>
/// <param name="Added">Files indexed for the first time.</param>
/// <param name="Updated">Files reindexed because they changed.</param>
/// <param name="Removed">Files removed from the index because they are gone.</param>
/// <param name="Failed">Files that could not be read or parsed (logged and skipped).</param>
public sealed record LocalIndexRefreshResult(int Added, int Updated, int Removed, int Failed);
