namespace Agents.Samples.ChatApp.Tests.Web;

/// <summary>Issue 18 item 3 in real Chromium: the REAL planner's spent search budget asks in the run's timeline, and Continue resumes it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ChatPageAskTests(BrowserFixture browser)
{
    [Fact]
    public async Task Continue_grants_more_search_units_and_the_run_goes_on_to_its_answer()
    {
        var model = new ScriptedChatClient((messages, options) =>
        {
            var results = messages.Count(m => m.Role == ChatRole.Tool);
            return options?.Tools is { Count: > 0 } && results < 2
                ? new ChatResponse(new ChatMessage(ChatRole.Assistant,
                    [new FunctionCallContent("c" + results, "web_search", new Dictionary<string, object?> { ["queries"] = new[] { results == 0 ? "embedded search" : "lucene" } })]))
                { Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 10 } }
                : new ChatResponse(new ChatMessage(ChatRole.Assistant, "Answer: Lucene.Net is the embedded search library."))
                { Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 10 } };
        });
        await using var app = await TestApp.StartOverFoldersAsync(
            s => s.AddSingleton<IChatClient>(model), new Dictionary<string, string?> { ["ChatApp:AskForMoreUnits"] = "2" });
        var page = await browser.OpenAsync(app.BaseAddress);

        var run = await page.AskAsync("Which embedded search library?", strategy: "react", searchUnits: 1, browseUnits: 0);
        var ask = run.GetByTestId("ask");
        await Expect(ask.GetByTestId("ask-text")).ToHaveTextAsync("The search budget is spent; continue with 2 more?", new() { Timeout = 20_000 });
        await Expect(ask).ToHaveAttributeAsync("role", "group");
        var grant = ask.GetByRole(AriaRole.Button, new() { Name = "Continue with 2 more search units" });
        var decline = ask.GetByRole(AriaRole.Button, new() { Name = "Stop here: no more search units" });
        await Expect(grant).ToHaveTextAsync("Continue with 2 more");
        await Expect(decline).ToHaveTextAsync("Stop here");
        await Expect(grant).ToBeFocusedAsync();
        await Expect(run.GetByTestId("answer")).ToHaveTextAsync(string.Empty);

        await grant.ClickAsync();

        // (The timeline folds once the answer is in: the buttons are found by test id, hidden or not.)
        await Expect(ask.GetByTestId("ask-outcome")).ToHaveTextAsync("Granted 2 more", new() { Timeout = 20_000 });
        await Expect(ask.GetByTestId("ask-grant")).ToBeDisabledAsync();
        await Expect(ask.GetByTestId("ask-decline")).ToBeDisabledAsync();
        await Expect(run.GetByTestId("answer")).ToContainTextAsync("Lucene.Net is the embedded search library", new() { Timeout = 20_000 });
        await Expect(run.GetByTestId("budget-units")).ToContainTextAsync("search 2/", new() { Timeout = 20_000 });
        await Expect(run.GetByTestId("run-status")).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 20_000 });
        await Expect(run.GetByTestId("step-result")).ToHaveCountAsync(2);
        await Expect(run.GetByTestId("step-result").Nth(1)).Not.ToContainTextAsync("refused");

        // After a reload the question and its answer are still in the run's timeline, answered.
        await page.ReloadAsync();
        await BrowserFixture.WaitReadyAsync(page);
        var kept = page.GetByTestId("run").Last.GetByTestId("ask");
        await Expect(kept.GetByTestId("ask-text")).ToHaveTextAsync("The search budget is spent; continue with 2 more?");
        await Expect(kept.GetByTestId("ask-outcome")).ToHaveTextAsync("Granted 2 more");
        await Expect(kept.GetByTestId("ask-grant")).ToBeDisabledAsync();
    }
}
