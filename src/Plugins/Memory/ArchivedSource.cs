namespace Agents.Plugins.Memory;

/// <summary>A raw page stored in the source archive.</summary>
/// <param name="Path">The archive file, relative to the workspace root (<c>knowledge_base/sources/&lt;slug&gt;.md</c>).</param>
/// <param name="Url">The page URL (without fragment).</param>
/// <param name="Title">The page title, possibly empty.</param>
/// <param name="FetchedAt">When the page was read.</param>
public sealed record ArchivedSource(string Path, Uri Url, string Title, DateTimeOffset FetchedAt);
