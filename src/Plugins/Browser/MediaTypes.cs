namespace Agents.Plugins.Browsing;

/// <summary>The media types the browsing tools can turn into text.</summary>
internal static class MediaTypes
{
    public const string Html = "text/html";
    public const string Xhtml = "application/xhtml+xml";
    public const string Pdf = "application/pdf";

    public static bool IsHtml(string mediaType) => mediaType is Html or Xhtml;

    public static bool IsPdf(string mediaType) => mediaType is Pdf or "application/x-pdf";

    public static bool IsText(string mediaType)
        => mediaType is "text/plain" or "text/markdown" or "text/x-markdown" or "text/csv" or "application/json" or "text/xml" or "application/xml";

    public static bool IsSupported(string mediaType) => IsHtml(mediaType) || IsPdf(mediaType) || IsText(mediaType);

    /// <summary>The media type of a Content-Type header value, lower case, without parameters; HTML when missing.</summary>
    public static string Normalize(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return Html;
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        return (semicolon >= 0 ? contentType[..semicolon] : contentType).Trim().ToLowerInvariant();
    }

    public static string Unsupported(string mediaType)
        => $"the content type '{mediaType}' is not supported; only HTML, PDF and plain-text pages can be read (no downloads)";
}
