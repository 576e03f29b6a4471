using Microsoft.SemanticKernel;

namespace Agents.Plugins.Tests.Browsing;

/// <summary>Issue 14 item 2: browse's page summary is charged to the run that called browse, and never loses the page.</summary>
public sealed class BrowseSummaryChargeTests
{
    private const string Page = "<html><head><title>Dam</title></head><body><article><p>Some history of the valley and its farms.</p><p>The dam was finished in 1936 and is 221 m high.</p></article></body></html>";
    private const string Goal = "when was the dam finished";

    [Fact]
    public async Task Summary_IsChargedToTheTrackerOfTheRunThatCalledBrowse_EachRunSeparately()
    {
        var scripted = new ScriptedChatClient(_ => ModelReply.Text("\"finished in 1936\" (paragraph 2)\nSummary: built in 1936."));
        var browser = Browser(scripted);
        var first = RunTracker();
        var second = RunTracker();

        BudgetedToolResult a = await InvokeBrowseAsync(first, browser, "https://example.org/a");
        BudgetedToolResult b = await InvokeBrowseAsync(second, browser, "https://example.org/b");

        Assert.Contains("Summary: built in 1936.", a.Result, StringComparison.Ordinal);
        Assert.Contains("Summary: built in 1936.", b.Result, StringComparison.Ordinal);
        Assert.Equal(2, scripted.Calls.Count);
        foreach (var tracker in new[] { first, second })
        {
            BudgetSnapshot snapshot = tracker.GetSnapshot();
            Assert.Equal(50, snapshot.InputTokens);
            Assert.Equal(5, snapshot.OutputTokens);
            Assert.Equal(1, snapshot.GetCategory(ModelReaderPlugin.Category)!.Used);
            Assert.Equal(1, snapshot.GetCategory("browse")!.Used);
        }
    }

    [Fact]
    public async Task Summary_ThroughTheKernelFilter_IsChargedToTheKernelsTracker()
    {
        var scripted = new ScriptedChatClient(_ => ModelReply.Text("Summary: built in 1936."));
        var tracker = RunTracker();
        var kernel = new Kernel();
        kernel.UseBudgetTracker(tracker);
        var plugin = kernel.Plugins.AddFromObject(Browser(scripted), "browser");

        var result = await kernel.InvokeAsync(plugin["browse"], new KernelArguments { ["urls"] = new[] { "https://example.org/a" }, ["goal"] = Goal });

        Assert.Contains("Summary: built in 1936.", result.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(50, tracker.GetSnapshot().InputTokens);
        Assert.Equal(1, tracker.GetSnapshot().GetCategory(ModelReaderPlugin.Category)!.Used);
    }

    [Fact]
    public async Task Summary_ReservesItsWorstCaseFirst_AndIsNotMadeWhenItDoesNotFit()
    {
        var scripted = new ScriptedChatClient(_ => ModelReply.Text("Summary: built in 1936."));
        var browser = Browser(scripted);
        var cappedOptions = RunOptions();
        cappedOptions.MaxOutputTokens = 100;
        var capped = new BudgetTracker(cappedOptions);
        var starvedOptions = RunOptions();
        starvedOptions.MaxInputTokens = 10;
        var starved = new BudgetTracker(starvedOptions);

        await InvokeBrowseAsync(capped, browser, "https://example.org/a");
        BudgetedToolResult refused = await InvokeBrowseAsync(starved, browser, "https://example.org/b");

        var call = Assert.Single(scripted.Calls);
        Assert.True(call.Options!.MaxOutputTokens <= 100);
        Assert.Contains("farms", refused.Result, StringComparison.Ordinal);
        Assert.Contains("No summary", refused.Result, StringComparison.Ordinal);
        Assert.Equal(0, starved.GetSnapshot().InputTokens);
        Assert.Equal(0, starved.GetSnapshot().GetCategory(ModelReaderPlugin.Category)!.Used);
    }

    [Fact]
    public async Task Summary_WhenTheReaderFails_ShowsTheRawTextWithANote_AndChargesNoSummary()
    {
        var scripted = new ScriptedChatClient(_ => throw new HttpRequestException("connection refused"));
        var tracker = RunTracker();

        BudgetedToolResult result = await InvokeBrowseAsync(tracker, Browser(scripted), "https://example.org/a");

        Assert.Contains("Some history of the valley and its farms.", result.Result, StringComparison.Ordinal);
        Assert.Contains("221 m high", result.Result, StringComparison.Ordinal);
        Assert.Contains("No summary (summarize_page: the reading model failed (connection refused)", result.Result, StringComparison.Ordinal);
        Assert.Equal(0, tracker.GetSnapshot().InputTokens);
        Assert.Equal(0, tracker.GetSnapshot().GetCategory(ModelReaderPlugin.Category)!.Used);
        Assert.Equal(1, tracker.GetSnapshot().GetCategory("browse")!.Used);
    }

    [Fact]
    public async Task Summary_WithAFixedSummarizerBudget_ChargesThatTrackerInsteadOfTheRuns()
    {
        var scripted = new ScriptedChatClient(_ => ModelReply.Text("Summary: built in 1936."));
        var fixedBudget = new BudgetTracker(new BudgetOptions().SetToolLimit("page_summary", 5));
        var options = new BrowserPluginOptions { PageSummarizer = new ModelReaderPlugin(scripted), PageSummarizerBudget = fixedBudget, PageSummarizerCategory = "page_summary" };
        var run = RunTracker();

        BudgetedToolResult result = await InvokeBrowseAsync(run, new BrowserPlugin(FakePageFetcher.Html(Page), options), "https://example.org/a");

        Assert.Contains("Summary: built in 1936.", result.Result, StringComparison.Ordinal);
        Assert.Equal(1, fixedBudget.GetSnapshot().GetCategory("page_summary")!.Used);
        Assert.Equal(50, fixedBudget.GetSnapshot().InputTokens);
        Assert.Equal(0, run.GetSnapshot().InputTokens);
        Assert.Equal(0, run.GetSnapshot().GetCategory(ModelReaderPlugin.Category)!.Used);
    }

    [Fact]
    public async Task Summary_OnATrackerThatDoesNotKnowTheReadingCategory_CostsTokensButNoUnit()
    {
        var scripted = new ScriptedChatClient(_ => ModelReply.Text("Summary: built in 1936."));
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("browse", 10));

        await InvokeBrowseAsync(tracker, Browser(scripted), "https://example.org/a");

        Assert.Equal(50, tracker.GetSnapshot().InputTokens);
        Assert.Null(tracker.GetSnapshot().GetCategory(ModelReaderPlugin.Category));
    }

    private static BrowserPlugin Browser(IChatClient reader) =>
        new(FakePageFetcher.Html(Page), new BrowserPluginOptions { PageSummarizer = new ModelReaderPlugin(reader) });

    private static BudgetOptions RunOptions() => new BudgetOptions().SetToolLimit("browse", 10).SetToolLimit(ModelReaderPlugin.Category, 10);

    private static BudgetTracker RunTracker() => new(RunOptions());

    private static Task<BudgetedToolResult> InvokeBrowseAsync(BudgetTracker tracker, BrowserPlugin browser, string url) =>
        ChargedTools.BrowseAsync(tracker, browser, Goal, url);
}
