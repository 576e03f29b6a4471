using Agents.Plugins.Archiving;

namespace Agents.Plugins.Tests.Browsing;

/// <summary>Issue 14 item 2: the optional goal-directed page summariser of <c>browse</c>.</summary>
public sealed class BrowserPageSummarizerTests
{
    private const string Page = "<html><head><title>Dam</title></head><body><article><p>Some history of the valley and its farms.</p><p>The dam was finished in 1936 and is 221 m high.</p></article></body></html>";

    [Fact]
    public async Task Browse_WithASummarizer_ReturnsTheCondensedPage_ArchivesTheFullText_AndChargesTheTokens()
    {
        var tracker = new BudgetTracker(new BudgetOptions());
        var scripted = new ScriptedChatClient(_ => ModelReply.Text("\"finished in 1936\" (paragraph 2): completion year.\nSummary: the dam was built in 1936."));
        IChatClient reader = new ChatClientBuilder(scripted).UseBudgetTracker(tracker).Build();
        var archive = new RecordingArchiveSink();
        var plugin = new BrowserPlugin(FakePageFetcher.Html(Page), new BrowserPluginOptions { PageSummarizer = new ModelReaderPlugin(reader) }, archive);

        string text = await plugin.BrowseAsync(["https://example.org/dam"], "when was the dam finished");

        Assert.Contains("Summary: the dam was built in 1936.", text, StringComparison.Ordinal);
        Assert.Contains("\"finished in 1936\" (paragraph 2)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("farms", text, StringComparison.Ordinal);
        Assert.Contains("<web_page url=\"https://example.org/dam\"", text, StringComparison.Ordinal);
        var call = Assert.Single(scripted.Calls);
        string user = call.Messages.Last(m => m.Role == ChatRole.User).Text;
        Assert.Contains("Goal: when was the dam finished", user, StringComparison.Ordinal);
        Assert.Contains("farms", user, StringComparison.Ordinal);
        ArchivedPage archived = Assert.Single(archive.Pages);
        Assert.Contains("farms", archived.Text, StringComparison.Ordinal);
        Assert.Contains("221 m high", plugin.FindInPage("https://example.org/dam", "221 m"), StringComparison.Ordinal);
        Assert.Equal(50, tracker.GetSnapshot().InputTokens);
    }

    [Fact]
    public async Task Browse_WithoutAGoal_ShowsTheRawText_AndDoesNotCallTheReader()
    {
        var scripted = new ScriptedChatClient(_ => ModelReply.Text("Summary: x."));
        var plugin = new BrowserPlugin(FakePageFetcher.Html(Page), new BrowserPluginOptions { PageSummarizer = new ModelReaderPlugin(scripted) });

        string text = await plugin.BrowseAsync(["https://example.org/dam"], " ");

        Assert.Contains("farms", text, StringComparison.Ordinal);
        Assert.Empty(scripted.Calls);
    }

    [Fact]
    public async Task Browse_ChargesOneUnitOfTheSummarizerCategoryPerSummary_AndShowsRawTextWhenItIsSpent()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("page_summary", 1));
        var scripted = new ScriptedChatClient(_ => ModelReply.Text("Summary: the dam was built in 1936."));
        var options = new BrowserPluginOptions { PageSummarizer = new ModelReaderPlugin(scripted), PageSummarizerBudget = tracker, PageSummarizerCategory = "page_summary" };
        var plugin = new BrowserPlugin(FakePageFetcher.Html(Page), options);

        string first = await plugin.BrowseAsync(["https://example.org/a"], "when was the dam finished");
        string second = await plugin.BrowseAsync(["https://example.org/b"], "when was the dam finished");

        Assert.Contains("Summary: the dam was built in 1936.", first, StringComparison.Ordinal);
        Assert.Contains("farms", second, StringComparison.Ordinal);
        Assert.Single(scripted.Calls);
        Assert.Equal(1, tracker.GetSnapshot().GetCategory("page_summary")!.Used);
    }
}
