using Agents.Hosting.AspNetCore;

namespace Agents.Samples.Hosting;

/// <summary>
/// The <c>;</c>-separated addresses a sample server listens on (<c>ChatApp:Urls</c>, <c>Mcp:Urls</c>): split, and checked
/// before anything binds. Shared by the chat app and the MCP server (linked into McpServer).
/// </summary>
internal static class ListenUrls
{
    /// <summary>Splits the <c>;</c>-separated address list.</summary>
    /// <param name="urls">The list, or <see langword="null"/>.</param>
    public static IReadOnlyList<string> Split(string? urls) =>
        (urls ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// Returns what is wrong with <c><paramref name="section"/>:Urls</c>: it is empty, names an address that is not http(s),
    /// or binds beyond loopback while <c><paramref name="section"/>:ApiKey</c> is not set.
    /// </summary>
    /// <param name="section">The configuration section, such as <c>ChatApp</c>.</param>
    /// <param name="urls">The addresses.</param>
    /// <param name="apiKey">The API key clients must send, if any.</param>
    /// <param name="example">An address to suggest when there is none, such as <c>http://127.0.0.1:5080</c>.</param>
    /// <param name="keyProtects">What only clients with the key can then do, ending the sentence (such as <c>use the app</c>).</param>
    public static IEnumerable<string> Validate(string section, string? urls, string? apiKey, string example, string keyProtects)
    {
        var list = Split(urls);
        if (list.Count == 0)
        {
            yield return $"{section}:Urls is empty; give at least one address such as {example}.";
        }

        foreach (var url in list)
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                yield return $"{section}:Urls contains '{url}', which is not an http(s) address.";
            }
            else if (!ListenAddress.IsLoopback(url) && string.IsNullOrWhiteSpace(apiKey))
            {
                yield return $"{section}:Urls binds '{url}', which is not a loopback address; set {section}:ApiKey so that only clients with the key can {keyProtects}.";
            }
        }
    }
}
