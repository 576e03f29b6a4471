namespace Agents.Plugins.Browsing;

/// <summary>The raw result of reading one URL, before text extraction.</summary>
/// <param name="Url">The final URL, after redirects.</param>
/// <param name="StatusCode">The HTTP status of the final response.</param>
/// <param name="ContentType">The media type without parameters, lower case, for example <c>text/html</c>.</param>
/// <param name="Body">The response body as received (for HTML read by a browser: the rendered DOM as UTF-8).</param>
public sealed record FetchedPage(Uri Url, int StatusCode, string ContentType, ReadOnlyMemory<byte> Body);
