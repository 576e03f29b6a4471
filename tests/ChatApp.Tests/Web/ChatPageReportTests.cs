namespace Agents.Samples.ChatApp.Tests.Web;

/// <summary>
/// Report mode in real Chromium: the page starts the REAL deep-research workflow (Context Builder, then Report Writer
/// with its file tools) over a scripted model, shows the sections as they are planned and written, and downloads the
/// report as Markdown.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ChatPageReportTests(BrowserFixture browser)
{
    [Fact]
    public async Task Report_mode_shows_section_progress_and_downloads_the_report_as_markdown()
    {
        using var lastSection = new ManualResetEventSlim();
        var model = new ScriptedChatClient((messages, options) => Script(messages, lastSection));
        await using var app = await TestApp.StartOverFoldersAsync(s => s.AddSingleton<IChatClient>(model));
        var page = await browser.OpenAsync(app.BaseAddress, new() { AcceptDownloads = true });

        var run = await page.AskAsync("How do budget-aware agents work?", strategy: "report");

        var wait = new LocatorAssertionsToContainTextOptions { Timeout = 30_000 };
        await Expect(run.GetByTestId("steps")).ToContainTextAsync("Writing the report (Report Writer)", wait);
        await Expect(run.GetByTestId("report-progress")).ToContainTextAsync("Report: 1 of 2 sections written", wait);
        var sections = run.GetByTestId("report-section");
        await Expect(sections).ToHaveCountAsync(2);
        await Expect(sections.Nth(0)).ToHaveAttributeAsync("data-status", "complete");
        await Expect(sections.Nth(1)).ToHaveAttributeAsync("data-status", "planned");
        await Expect(sections.Nth(1)).ToContainTextAsync("Findings <b>two</b>");
        await Expect(run.GetByTestId("download-report")).ToBeHiddenAsync();

        lastSection.Set();

        await Expect(run.GetByTestId("run-status")).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 30_000 });
        await Expect(run.GetByTestId("report-progress")).ToContainTextAsync("Report: 2 of 2 sections written", wait);
        await Expect(run.GetByTestId("answer").Locator("h2")).ToHaveTextAsync(["Background", "Findings two"]);
        var download = await page.RunAndWaitForDownloadAsync(() => run.GetByTestId("download-report").ClickAsync());

        Assert.EndsWith(".md", download.SuggestedFilename, StringComparison.Ordinal);
        var markdown = await File.ReadAllTextAsync(await download.PathAsync());
        Assert.Equal(Report(2), markdown);

        // A reload replays the run: the sections and the download are still there.
        await page.ReloadAsync();
        await BrowserFixture.WaitReadyAsync(page);
        var replayed = page.GetByTestId("run").Last;
        await Expect(replayed.GetByTestId("report-progress")).ToContainTextAsync("Report: 2 of 2 sections written", wait);
        var again = await page.RunAndWaitForDownloadAsync(() => replayed.GetByTestId("download-report").ClickAsync());
        Assert.Equal(Report(2), await File.ReadAllTextAsync(await again.PathAsync()));
        await page.Context.CloseAsync();
    }

    /// <summary>The model of both stages: the builder finds nothing to add; the writer plans two sections and writes one per round.</summary>
    private static ChatResponse Script(IReadOnlyList<ChatMessage> messages, ManualResetEventSlim lastSection)
    {
        var system = messages[0].Text;
        var user = messages.First(m => m.Role == ChatRole.User).Text;
        if (system.Contains("Context Builder", StringComparison.Ordinal))
        {
            return Text("The knowledge base is enough for this test.\n[ALL COMPLETE]");
        }

        if (messages.Any(m => m.Role == ChatRole.Tool))
        {
            return Text("Done.");
        }

        if (user.Contains("write report_outline.md", StringComparison.Ordinal))
        {
            return Calls(CreateFile("report_outline.md", "- [TODO] Background\n- [TODO] Findings <b>two</b>\n"));
        }

        var section = int.Parse(SectionLine().Match(user).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        if (section == 2)
        {
            // Hold the last section until the page has shown the first one written.
            lastSection.Wait(TimeSpan.FromSeconds(30));
        }

        var outline = section == 1 ? "- [COMPLETE] Background\n- [TODO] Findings <b>two</b>\n" : "- [COMPLETE] Background\n- [COMPLETE] Findings <b>two</b>\n";
        return Calls(CreateFile("report.md", Report(section)), CreateFile("report_outline.md", outline));
    }

    private static string Report(int sections) =>
        "# Budget-aware agents\n\n## Background\n\nAgents see their remaining budget after every tool call.\n"
        + (sections >= 2 ? "\n## Findings two\n\nA budget tracker keeps agents from overspending; see `BudgetTracker`.\n" : string.Empty);

    private static FunctionCallContent CreateFile(string path, string content) =>
        new(Guid.NewGuid().ToString("N"), "files_create_file", new Dictionary<string, object?> { ["path"] = path, ["content"] = content, ["overwrite"] = true });

    private static ChatResponse Calls(params FunctionCallContent[] calls) =>
        new(new ChatMessage(ChatRole.Assistant, [.. calls])) { Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 20 } };

    private static ChatResponse Text(string text) =>
        new(new ChatMessage(ChatRole.Assistant, text)) { Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 20 } };

    [GeneratedRegex(@"write section (\d+) of")]
    private static partial Regex SectionLine();
}
