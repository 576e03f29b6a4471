namespace Agents.Hosting.Tests.Tools;

public sealed class ResearchToolsetTests : IDisposable
{
    private readonly string _docs = Directory.CreateTempSubdirectory("hosting-docs-").FullName;

    public void Dispose() => Directory.Delete(_docs, recursive: true);

    private IConfigurationSection Section(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => KeyValuePair.Create("Research:" + v.Key, (string?)v.Value)).Append(KeyValuePair.Create("Research:DocumentsFolder", (string?)_docs)))
            .Build()
            .GetSection("Research");

    [Fact]
    public async Task Tools_carry_one_plugin_function_naming_and_local_hits_can_be_browsed()
    {
        await File.WriteAllTextAsync(Path.Combine(_docs, "lucene.md"), "# Lucene\n\nLucene is an embedded full-text search library written by Doug Cutting.");
        await using var services = new ServiceCollection().AddResearchTools(Section()).BuildServiceProvider();
        var toolset = services.GetRequiredService<ResearchToolset>();

        var tools = toolset.CreateTools();
        Assert.Equal([ResearchToolset.SearchToolName, ResearchToolset.BrowseToolName, ResearchToolset.FindInPageToolName], tools.Select(t => t.Name));
        Assert.Equal(["web_search", "browser_browse", "browser_find_in_page"], tools.Select(t => t.Name));

        var hits = await toolset.SearchEngine.SearchAsync("full-text search library", 5, CancellationToken.None);
        var hit = Assert.Single(hits);
        var page = await toolset.Fetcher.FetchAsync(hit.Url, CancellationToken.None);
        Assert.Contains("Doug Cutting", System.Text.Encoding.UTF8.GetString(page.Body.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void The_budget_mapping_names_the_same_tools()
    {
        var tracker = new global::Agents.Budget.BudgetTracker(ResearchToolset.MapTools(new global::Agents.Budget.BudgetOptions()));
        Assert.Equal("search", tracker.ResolveCategory(null, "web_search"));
        Assert.Equal("browse", tracker.ResolveCategory(null, "browser_browse"));
        Assert.Equal("browse_find", tracker.ResolveCategory(null, "browser_find_in_page"));
        Assert.Equal("memory", tracker.ResolveCategory(null, "memory_read_file"));
    }

    [Theory]
    [InlineData("SearchProvider", "bing", "Research:SearchProvider 'bing' is unknown")]
    [InlineData("SearchProvider", "searxng", "Research:SearxngUrl")]
    [InlineData("SearchProvider", "brave", "Research:BraveApiKey")]
    [InlineData("Browser", "firefox", "Research:Browser 'firefox' is unknown")]
    public void Bad_options_throw_OptionsValidationException_naming_the_option(string key, string value, string expected)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new ServiceCollection().AddResearchTools(Section((key, value))));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
