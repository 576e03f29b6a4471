using System.ComponentModel;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Agents.Budget;
using Agents.Plugins.Archiving;
using Microsoft.Extensions.AI;

namespace Agents.Planners.DeepResearch.TestHost;

/// <summary>
/// Simple BATS-style <c>search(queries)</c> and <c>browse(urls, goal)</c> tools over the tests' local web
/// (a search JSON API at <c>/search?q=</c> and pages under <c>/pages/</c>). Every page read goes to the archive sink.
/// </summary>
public sealed partial class LocalWebTools(HttpClient http, Uri baseUri, IPageArchiveSink archive, TimeProvider timeProvider)
{
    public IReadOnlyList<AIFunction> Create() =>
    [
        AIFunctionFactory.Create(SearchAsync, "search", "Search the web; one result list per query."),
        AIFunctionFactory.Create(BrowseAsync, "browse", "Read web pages and return their text."),
    ];

    [BudgetCategory("search", UnitsArgument = "queries")]
    public async Task<string> SearchAsync([Description("Queries to run.")] string[] queries, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        foreach (var query in queries)
        {
            var hits = await http.GetFromJsonAsync<SearchHit[]>(new Uri(baseUri, "/search?q=" + Uri.EscapeDataString(query)), cancellationToken) ?? [];
            text.Append("Results for '").Append(query).Append("':\n");
            foreach (var hit in hits)
            {
                text.Append("- ").Append(hit.Title).Append(" <").Append(hit.Url).Append(">: ").Append(hit.Snippet).Append('\n');
            }
        }

        return text.ToString();
    }

    [BudgetCategory("browse", UnitsArgument = "urls")]
    public async Task<string> BrowseAsync([Description("Page URLs.")] string[] urls, [Description("What to look for.")] string goal, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        foreach (var raw in urls)
        {
            if (!Uri.TryCreate(raw, UriKind.Absolute, out var url))
            {
                text.Append("Error: '").Append(raw).Append("' is not an absolute URL.\n");
                continue;
            }

            using var response = await http.GetAsync(url, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                text.Append("Error: ").Append(url).Append(" returned ").Append((int)response.StatusCode).Append('\n');
                continue;
            }

            var html = await response.Content.ReadAsStringAsync(cancellationToken);
            var title = TitleTag().Match(html).Groups[1].Value;
            var body = Tags().Replace(html, " ").Trim();
            await archive.ArchiveAsync(new ArchivedPage(url, title, body, "text/html", timeProvider.GetUtcNow()), cancellationToken);
            text.Append("Page ").Append(url).Append(" (").Append(title).Append(") for goal '").Append(goal).Append("':\n").Append(body).Append('\n');
        }

        return text.ToString();
    }

    [GeneratedRegex("<title>(.*?)</title>", RegexOptions.Singleline)]
    private static partial Regex TitleTag();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    private sealed record SearchHit(string Title, string Url, string Snippet);
}
