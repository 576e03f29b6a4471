namespace Agents.Plugins.Archiving;

/// <summary>A page that a browsing tool read, handed to an <see cref="IPageArchiveSink"/>.</summary>
/// <param name="Url">The final URL of the page, after redirects.</param>
/// <param name="Title">The page title, or an empty string when it has none.</param>
/// <param name="Text">The readable text extracted from the page (untrusted web content).</param>
/// <param name="ContentType">The media type the server declared, for example <c>text/html</c>.</param>
/// <param name="FetchedAt">When the page was read.</param>
public sealed record ArchivedPage(Uri Url, string Title, string Text, string ContentType, DateTimeOffset FetchedAt);
