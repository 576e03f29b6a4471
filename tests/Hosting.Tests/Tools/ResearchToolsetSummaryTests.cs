using Agents.Budget;
using Agents.Plugins.Reading;

namespace Agents.Hosting.Tests.Tools;

/// <summary>Issue 14 item 2: the toolset's browse condenses pages with the model by default, charged to the calling run.</summary>
public sealed class ResearchToolsetSummaryTests : IDisposable
{
    private const string Summary = "\"finished in 1936\" (paragraph 2): when the dam was completed.\nSummary: the Hoover dam was finished in 1936.";
    private readonly string _docs = Directory.CreateTempSubdirectory("hosting-summary-").FullName;

    public ResearchToolsetSummaryTests()
    {
        File.WriteAllText(Path.Combine(_docs, "dam.md"), "# Hoover dam\n\nSome history of the valley and its farms.\n\nThe Hoover dam was finished in 1936 and is 221 m high.");
    }

    public void Dispose() => Directory.Delete(_docs, recursive: true);

    [Fact]
    public async Task Browse_returns_the_models_summary_with_quotes_and_charges_each_run_its_tokens_and_unit()
    {
        var model = new CallbackChatClient(_ => CallbackChatClient.Text(Summary));
        await using var services = Services(model);
        var toolset = services.GetRequiredService<ResearchToolset>();
        var first = Tracker();
        var second = Tracker();

        var a = await BrowseAsync(toolset, first);
        var b = await BrowseAsync(toolset, second);

        Assert.NotNull(toolset.PageSummarizer);
        Assert.Contains("\"finished in 1936\" (paragraph 2)", a.Result, StringComparison.Ordinal);
        Assert.Contains("Summary: the Hoover dam was finished in 1936.", a.Result, StringComparison.Ordinal);
        Assert.DoesNotContain("farms", a.Result, StringComparison.Ordinal);
        Assert.Contains("Summary: the Hoover dam was finished in 1936.", b.Result, StringComparison.Ordinal);
        Assert.Equal(2, model.Calls);
        foreach (var tracker in new[] { first, second })
        {
            var snapshot = tracker.GetSnapshot();
            Assert.Equal(40, snapshot.InputTokens);
            Assert.Equal(8, snapshot.OutputTokens);
            Assert.Equal(1, snapshot.GetCategory(ModelReaderPlugin.Category)!.Used);
            Assert.Equal(1, snapshot.GetCategory("browse")!.Used);
        }
    }

    [Fact]
    public async Task SummarizePages_false_returns_the_raw_page_and_never_calls_the_model()
    {
        var model = new CallbackChatClient(_ => CallbackChatClient.Text(Summary));
        await using var services = Services(model, ("SummarizePages", "false"));
        var toolset = services.GetRequiredService<ResearchToolset>();
        var tracker = Tracker();

        var result = await BrowseAsync(toolset, tracker);

        Assert.Null(toolset.PageSummarizer);
        Assert.Contains("Some history of the valley and its farms.", result.Result, StringComparison.Ordinal);
        Assert.Equal(0, model.Calls);
        Assert.Equal(0, tracker.GetSnapshot().InputTokens);
    }

    [Fact]
    public async Task Without_a_model_pages_are_raw()
    {
        await using var services = new ServiceCollection().AddResearchTools(Section()).BuildServiceProvider();
        var toolset = services.GetRequiredService<ResearchToolset>();

        var result = await BrowseAsync(toolset, Tracker());

        Assert.Null(toolset.PageSummarizer);
        Assert.Contains("221 m high", result.Result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_summariser_falls_back_to_the_raw_page_with_a_note()
    {
        var model = new CallbackChatClient(_ => throw new HttpRequestException("model unreachable"));
        await using var services = Services(model);
        var tracker = Tracker();

        var result = await BrowseAsync(services.GetRequiredService<ResearchToolset>(), tracker);

        Assert.Contains("Some history of the valley and its farms.", result.Result, StringComparison.Ordinal);
        Assert.Contains("221 m high", result.Result, StringComparison.Ordinal);
        Assert.Contains("No summary", result.Result, StringComparison.Ordinal);
        Assert.Contains("model unreachable", result.Result, StringComparison.Ordinal);
        Assert.Equal(0, tracker.GetSnapshot().GetCategory(ModelReaderPlugin.Category)!.Used);
    }

    [Fact]
    public async Task A_summarizer_model_summarises_instead_of_the_research_model()
    {
        await using var server = await FakeOpenAIServer.StartAsync("k", _ => FakeReply.Say("hello") with { PromptTokens = 10, CompletionTokens = 2 });
        var research = new CallbackChatClient(_ => CallbackChatClient.Text(Summary));
        await using var services = Services(
            research,
            ("SummarizerModel:Provider", "openai"),
            ("SummarizerModel:Endpoint", server.Endpoint.ToString()),
            ("SummarizerModel:ModelId", "cheap-reader"),
            ("SummarizerModel:ApiKey", "k"));
        var tracker = Tracker();

        var result = await BrowseAsync(services.GetRequiredService<ResearchToolset>(), tracker);

        Assert.Contains("hello", result.Result, StringComparison.Ordinal);
        Assert.Equal(0, research.Calls);
        Assert.Equal("cheap-reader", Assert.Single(server.Requests).Model);
        Assert.Equal(10, tracker.GetSnapshot().InputTokens);
        Assert.Equal(2, tracker.GetSnapshot().OutputTokens);
    }

    [Theory]
    [InlineData("SummarizerModel:Provider", "bogus", "Research:SummarizerModel:Provider 'bogus' is unknown")]
    [InlineData("SummarizerModel:Provider", "openai", "Research:SummarizerModel:Endpoint")]
    public void Bad_summarizer_options_throw_OptionsValidationException_naming_the_option(string key, string value, string expected)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new ServiceCollection().AddResearchTools(Section((key, value))));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    private ServiceProvider Services(IChatClient model, params (string Key, string Value)[] values) =>
        new ServiceCollection()
            .AddSingleton(new ResearchModel(model, "scripted"))
            .AddResearchTools(Section(values))
            .BuildServiceProvider();

    private IConfigurationSection Section(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => KeyValuePair.Create("Research:" + v.Key, (string?)v.Value)).Append(KeyValuePair.Create("Research:DocumentsFolder", (string?)_docs)))
            .Build()
            .GetSection("Research");

    private static BudgetTracker Tracker() => new(ResearchToolset.MapTools(new BudgetOptions()).SetToolLimit("browse", 5).AddCategory(ModelReaderPlugin.Category));

    private static async Task<BudgetedToolResult> BrowseAsync(ResearchToolset toolset, BudgetTracker tracker)
    {
        var hit = Assert.Single(await toolset.SearchEngine.SearchAsync("Hoover dam", 5, CancellationToken.None));
        var browse = toolset.CreateTools().Single(t => t.Name == ResearchToolset.BrowseToolName);
        return await tracker.InvokeToolAsync(browse, new AIFunctionArguments { ["urls"] = new[] { hit.Url.AbsoluteUri }, ["goal"] = "when was the dam finished" }, CancellationToken.None);
    }
}
