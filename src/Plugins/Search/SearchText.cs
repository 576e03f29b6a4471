using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Agents.Plugins.Search;

/// <summary>Small helpers to turn provider JSON into clean plain text.</summary>
internal static partial class SearchText
{
    /// <summary>Removes HTML tags (Brave wraps matches in &lt;strong&gt;), decodes entities and collapses white space.</summary>
    public static string Clean(string? html)
    {
        if (string.IsNullOrEmpty(html))
        {
            return string.Empty;
        }

        var text = WebUtility.HtmlDecode(Tags().Replace(html, string.Empty));
        return Spaces().Replace(text, " ").Trim();
    }

    public static string? GetString(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static DateTimeOffset? GetDate(JsonElement element, string name)
        => GetString(element, name) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? date
            : null;

    public static Uri? GetHttpUrl(JsonElement element, string name)
        => GetString(element, name) is { } s && Uri.TryCreate(s, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : null;

    public static IEnumerable<JsonElement> GetArray(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : [];

    /// <summary>
    /// Reads the hits of a provider's results array (<paramref name="arrayName"/> in <paramref name="parent"/>): each item
    /// with an http(s) <c>url</c>, titled by its cleaned <c>title</c> (the host when empty), with the cleaned snippet and the
    /// date of the properties the provider names; at most <paramref name="maxResults"/>.
    /// </summary>
    public static List<SearchHit> ReadHits(JsonElement parent, string arrayName, int maxResults, string snippetProperty, string dateProperty, Func<JsonElement, string> source)
    {
        var hits = new List<SearchHit>();
        foreach (var item in GetArray(parent, arrayName))
        {
            if (GetHttpUrl(item, "url") is not { } url)
            {
                continue;
            }

            hits.Add(new SearchHit(
                Clean(GetString(item, "title")) is { Length: > 0 } title ? title : url.Host,
                url,
                Clean(GetString(item, snippetProperty)),
                source(item),
                GetDate(item, dateProperty)));
            if (hits.Count == maxResults)
            {
                break;
            }
        }

        return hits;
    }

    [GeneratedRegex("<[^>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Spaces();
}
