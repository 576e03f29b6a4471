namespace Agents.Plugins.Search;

/// <summary>One ranked result of a web or local search.</summary>
/// <param name="Title">The result title (plain text, tags stripped).</param>
/// <param name="Url">The result address.</param>
/// <param name="Snippet">A short plain-text excerpt, possibly empty.</param>
/// <param name="Engine">The engine that produced the result, for example <c>brave</c> or <c>searxng:duckduckgo</c>.</param>
/// <param name="PublishedAt">When the page was published, when the engine knows it.</param>
public sealed record SearchHit(string Title, Uri Url, string Snippet, string Engine, DateTimeOffset? PublishedAt = null);
