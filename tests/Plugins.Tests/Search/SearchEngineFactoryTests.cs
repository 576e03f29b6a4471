using Agents.Plugins.Search.Local;

namespace Agents.Plugins.Tests.Search;

public sealed class SearchEngineFactoryTests
{
    [Fact]
    public void Local_index_is_the_default_when_no_api_is_configured()
    {
        var root = Directory.CreateTempSubdirectory("agents-factory-").FullName;
        try
        {
            using var engine = (LocalIndexSearchEngine)SearchEngineFactory.Create(new SearchEngineOptions { LocalIndex = new LocalIndexOptions { DocumentsDirectory = root } }, new HttpClient());
            Assert.Equal("local", engine.Name);
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    [Fact]
    public void Web_api_wins_in_order()
    {
        var options = new SearchEngineOptions
        {
            Brave = new BraveSearchOptions { ApiKey = "k" },
            Tavily = new TavilySearchOptions { ApiKey = "t" },
        };
        Assert.Equal("brave", SearchEngineFactory.Create(options, new HttpClient()).Name);
        options.Searxng = new SearxngSearchOptions { BaseAddress = new Uri("http://127.0.0.1:8888/") };
        Assert.Equal("searxng", SearchEngineFactory.Create(options, new HttpClient()).Name);
        Assert.Equal("tavily", SearchEngineFactory.Create(new SearchEngineOptions { Tavily = options.Tavily }, new HttpClient()).Name);
    }

    [Fact]
    public void Nothing_configured_is_a_clear_error()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => SearchEngineFactory.Create(new SearchEngineOptions(), new HttpClient()));
        Assert.Contains("LocalIndex", ex.Message);
    }
}
