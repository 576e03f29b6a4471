namespace Agents.Plugins.Tests.Browsing;

/// <summary>One real headless Chromium (Debian's, through Playwright) and one local site for the browser tests.</summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public PlaywrightBrowser Browser { get; private set; } = null!;

    public LocalServer Site { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Site = await TestSite.StartAsync();
        var options = new PlaywrightBrowserOptions
        {
            NavigationTimeout = TimeSpan.FromSeconds(3),
            NetworkIdleTimeout = TimeSpan.FromSeconds(1),
            MaxResponseBytes = 1024 * 1024,
        };
        options.Resilience.BaseDelay = TimeSpan.FromMilliseconds(1);
        options.Resilience.MaxDelay = TimeSpan.FromMilliseconds(10);
        Browser = new PlaywrightBrowser(options);
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        await Site.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ChromiumCollection : ICollectionFixture<ChromiumFixture>
{
    public const string Name = "chromium";
}
