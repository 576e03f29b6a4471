using Agents.Samples.Common.Composition;
using Agents.Samples.Common.Searching;

namespace Agents.Samples.Tests.Common;

public sealed class SearchSettingsTests
{
    private static SearchSettings From(string[] args, Dictionary<string, string>? env = null) =>
        SearchSettings.From(SampleCommandLine.Parse(new System.CommandLine.RootCommand().AddModelAndSearchOptions(), args), n => env is not null && env.TryGetValue(n, out var v) ? v : null);

    [Fact]
    public void Local_index_is_the_default_and_web_providers_read_their_settings()
    {
        var local = From(["--index", Path.GetTempPath(), "--allow-loopback"]);
        Assert.Equal(("local", true, false), (local.Provider, local.AllowLoopback, local.AllowPrivate));
        var tools = local.ToOptions();
        Assert.Equal((Path.GetFullPath(Path.GetTempPath()), "local", true, true, false), (tools.DocumentsFolder, tools.SearchProvider, tools.UseCanonicalLinks, tools.AllowLoopback, tools.AllowPrivateNetworks));

        var searx = From(["--search", "searxng"], new() { ["SEARXNG_URL"] = "http://127.0.0.1:8888/" });
        Assert.Equal(("searxng", "http://127.0.0.1:8888/"), (searx.ToOptions().SearchProvider, searx.ToOptions().SearxngUrl));
        Assert.Equal("k", From(["--search", "brave"], new() { ["BRAVE_API_KEY"] = "k" }).ToOptions().BraveApiKey);
        Assert.Equal("t", From(["--search", "TAVILY"], new() { ["TAVILY_API_KEY"] = "t" }).ToOptions().TavilyApiKey);
    }

    [Theory]
    [InlineData(new[] { "--search", "searx" }, "Did you mean 'searxng'?")]
    [InlineData(new[] { "--search", "searxng" }, "--searxng-url")]
    [InlineData(new[] { "--search", "brave" }, "BRAVE_API_KEY")]
    [InlineData(new[] { "--search", "tavily" }, "TAVILY_API_KEY")]
    [InlineData(new[] { "--index", "/no/such/folder" }, "'/no/such/folder' does not exist")]
    [InlineData(new[] { "--browser", "chrome" }, "unknown browser 'chrome'")]
    public void Missing_settings_are_explained(string[] args, string expected)
    {
        Assert.Contains(expected, Assert.Throws<CommandLineException>(() => From(args)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Agent_names_are_canonical_and_typos_suggested()
    {
        Assert.Equal("react+budget", AgentCatalog.Canonical("React-Budget"));
        Assert.Equal("bats", AgentCatalog.Canonical(" BATS "));
        Assert.Contains("Did you mean 'react'?", Assert.Throws<CommandLineException>(() => AgentCatalog.Canonical("raect")).Message, StringComparison.Ordinal);
    }
}
