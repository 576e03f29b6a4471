namespace Agents.Samples.OfflineWeb.World;

/// <summary>A rendered page of the offline web.</summary>
/// <param name="EntityId">The entity the page describes.</param>
/// <param name="Path">The site-relative path, e.g. <c>/wiki/velora-river</c>.</param>
/// <param name="Title">The page title (the entity name).</param>
/// <param name="Html">The full HTML document; links are site-relative unless rendered for a base address.</param>
/// <param name="Text">The readable text of the page (what the search endpoint indexes).</param>
public sealed record WebPage(string EntityId, string Path, string Title, string Html, string Text);
