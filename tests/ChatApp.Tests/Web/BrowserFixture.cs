namespace Agents.Samples.ChatApp.Tests.Web;

/// <summary>One real headless Chromium (Debian's /usr/bin/chromium) shared by the page tests.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium is missing at {ChromiumPath}; install it with 'apt-get install -y chromium' (./build.sh test does).");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        });
    }

    /// <summary>Waits until the chat page says it is ready (its script has loaded the settings and the conversations).</summary>
    public static Task WaitReadyAsync(IPage page) =>
        Expect(page.Locator("body")).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = 15_000 });

    /// <summary>Opens the chat page at <paramref name="address"/> in a new context (with <paramref name="options"/>) and waits until it is ready.</summary>
    public async Task<IPage> OpenAsync(Uri address, BrowserNewContextOptions? options = null)
    {
        var context = await Browser.NewContextAsync(options);
        var page = await context.NewPageAsync();
        await page.GotoAsync(address.ToString());
        await WaitReadyAsync(page);
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
