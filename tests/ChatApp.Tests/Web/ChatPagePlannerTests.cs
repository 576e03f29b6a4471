namespace Agents.Samples.ChatApp.Tests.Web;

/// <summary>
/// The chat page in real Chromium running the REAL planner (ReAct + budget tracker) with the real search and
/// memory tools and a per-run BudgetTracker; only the model is scripted.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ChatPagePlannerTests(BrowserFixture browser)
{
    [Fact]
    public async Task React_with_tracker_streams_model_steps_tool_calls_the_budget_meter_and_the_cited_answer()
    {
        using var secondCall = new ManualResetEventSlim();
        var model = new ScriptedChatClient((messages, options) =>
        {
            if (messages[^1].Role != ChatRole.Tool)
            {
                return new ChatResponse(new ChatMessage(ChatRole.Assistant,
                [
                    new TextContent("I will search the local library first."),
                    new FunctionCallContent("call_1", "web_search", new Dictionary<string, object?> { ["queries"] = new[] { "Lucene full-text", "budget tracker" } }),
                ]))
                { Usage = new UsageDetails { InputTokenCount = 1200, OutputTokenCount = 40 } };
            }

            // Hold the answer until the page has shown the search and the meter after it.
            secondCall.Wait(TimeSpan.FromSeconds(30));
            return new ChatResponse(new ChatMessage(ChatRole.Assistant,
                "Lucene.Net is an embedded full-text search library, see [Lucene.Net](https://lucenenet.apache.org/) <script>window.__pwned=1</script>."))
            { Usage = new UsageDetails { InputTokenCount = 1500, OutputTokenCount = 30 } };
        });
        await using var app = await TestApp.StartOverFoldersAsync(s => s.AddSingleton<IChatClient>(model));
        var page = await browser.OpenAsync(app.BaseAddress);

        var run = await page.AskAsync("What is Lucene.Net?", strategy: "react", searchUnits: 5, browseUnits: 0);

        var wait = new LocatorAssertionsToContainTextOptions { Timeout = 20_000 };
        await Expect(run.GetByTestId("steps")).ToContainTextAsync("I will search the local library first.", wait);
        await Expect(run.GetByTestId("steps")).ToContainTextAsync("web_search {\"queries\":[\"Lucene full-text\",\"budget tracker\"]}", wait);
        await Expect(run.GetByTestId("steps")).ToContainTextAsync("lucene.md", wait);
        await Expect(run.GetByTestId("step-result").First).ToContainTextAsync(" for 2 queries", wait);
        await Expect(run.GetByTestId("card").First).ToBeAttachedAsync();
        await Expect(run.GetByTestId("steps")).Not.ToContainTextAsync("<search_results");
        await Expect(run.GetByTestId("steps")).Not.ToContainTextAsync("## Query");
        await Expect(run.GetByTestId("budget-units")).Not.ToContainTextAsync("memory");
        await Expect(run.GetByTestId("budget-units")).ToContainTextAsync("search 2/5", wait);
        await Expect(run.GetByTestId("budget-totals")).ToContainTextAsync("tokens in 1,200/50,000tokens out 40/50,000", wait);
        await Expect(run.GetByTestId("answer")).ToHaveTextAsync(string.Empty);

        secondCall.Set();

        await Expect(run.GetByTestId("answer")).ToContainTextAsync("Lucene.Net is an embedded full-text search library", wait);
        await Expect(run.GetByTestId("answer")).ToContainTextAsync("<script>window.__pwned=1</script>", wait);
        await Expect(run.GetByTestId("budget-totals")).ToContainTextAsync("tokens in 2,700/50,000tokens out 70/50,000", wait);
        var link = run.GetByTestId("citations").Locator("a");
        await Expect(link).ToHaveAttributeAsync("href", "https://lucenenet.apache.org/", new() { Timeout = 20_000 });
        await Expect(link).ToHaveTextAsync("Lucene.Net");
        await Expect(run.GetByTestId("run-status")).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 20_000 });
        Assert.True(await page.EvaluateAsync<bool>("() => window.__pwned === undefined"));

        var tools = model.Calls[0].Options!.Tools!.Select(t => t.Name).ToList();
        Assert.Contains("web_search", tools);
        Assert.Contains("memory_create_file", tools);
        Assert.DoesNotContain("browser_browse", tools);
    }

    [Fact]
    public async Task Stop_cancels_the_real_planner_down_to_the_model_call()
    {
        var modelCalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var modelCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var model = new ScriptedChatClient(async (messages, options, ct) =>
        {
            modelCalled.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                modelCancelled.TrySetResult();
                throw;
            }

            return new ChatResponse(new ChatMessage(ChatRole.Assistant, "never"));
        });
        await using var app = await TestApp.StartOverFoldersAsync(s => s.AddSingleton<IChatClient>(model));
        var page = await browser.OpenAsync(app.BaseAddress);

        var run = await page.AskAsync("A question the model never finishes");
        await Expect(run.GetByTestId("budget-units")).ToContainTextAsync("search 0/10", new() { Timeout = 20_000 });
        await modelCalled.Task.WaitAsync(TimeSpan.FromSeconds(20));

        await page.GetByTestId("stop").ClickAsync();

        await Expect(run.GetByTestId("run-status")).ToHaveAttributeAsync("data-status", "cancelled", new() { Timeout = 20_000 });
        await modelCancelled.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await Expect(page.GetByTestId("send")).ToBeEnabledAsync();
    }
}
