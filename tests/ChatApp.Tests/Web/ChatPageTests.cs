using System.Runtime.CompilerServices;

namespace Agents.Samples.ChatApp.Tests.Web;

/// <summary>The chat page in real Chromium against the app on 127.0.0.1 with a scripted agent.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ChatPageTests(BrowserFixture browser)
{
    private static readonly LocatorAssertionsToHaveTextOptions Wait = new() { Timeout = 15_000 };

    [Fact]
    public async Task Question_streams_steps_moves_the_budget_meter_and_shows_the_answer_with_citation_links()
    {
        var midRun = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runner = new ScriptedAgentRunner((request, ct) => Script(request, midRun.Task, ct));
        await using var app = await TestApp.StartAsync(runner);
        var page = await OpenAsync(app);

        var run = await page.AskAsync("Who wrote the BATS paper?", strategy: "react", searchUnits: 5);

        await Expect(run.GetByTestId("step").First).ToContainTextAsync("Planning the search", new() { Timeout = 15_000 });
        await Expect(run.GetByTestId("step").Nth(1)).ToContainTextAsync("search {\"queries\":[\"BATS budget tracker\"]}", new() { Timeout = 15_000 });
        await Expect(run.GetByTestId("budget-units")).ToHaveTextAsync("search 1/5browse 0/2", Wait);
        await Expect(page.GetByTestId("stop")).ToBeEnabledAsync();
        await Expect(run.GetByTestId("answer")).ToHaveTextAsync(string.Empty);

        midRun.SetResult();

        await Expect(run.GetByTestId("budget-units")).ToHaveTextAsync("search 3/5browse 1/2", Wait);
        await Expect(run.GetByTestId("budget-totals")).ToContainTextAsync("cost $0.0040/$0.25", new() { Timeout = 15_000 });
        await Expect(run.GetByTestId("answer")).ToHaveTextAsync("The BATS paper is arXiv 2511.17006 [1].", Wait);
        var link = run.GetByTestId("citations").Locator("a");
        await Expect(link).ToHaveTextAsync("BATS on arXiv");
        await Expect(link).ToHaveAttributeAsync("href", "https://arxiv.org/abs/2511.17006");
        await Expect(run.GetByTestId("run-status")).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 15_000 });
        await Expect(page.GetByTestId("stop")).ToBeDisabledAsync();

        var request = Assert.Single(runner.Requests);
        Assert.Equal(AgentStrategy.ReActWithTracker, request.Strategy);
        Assert.Equal(5, request.Budget.SearchUnits);
        Assert.Equal("Who wrote the BATS paper?", request.Question);

        static async IAsyncEnumerable<AgentEvent> Script(AgentRunRequest request, Task midRun, [EnumeratorCancellation] CancellationToken ct)
        {
            yield return new ThinkingEvent("Planning the search", "plan");
            yield return new ToolCallEvent("c1", "search", "{\"queries\":[\"BATS budget tracker\"]}");
            yield return Budget(request, search: 1, browse: 0, cost: 0.001m);
            await midRun.WaitAsync(ct);
            yield return new ToolResultEvent("c1", "search", "3 results");
            yield return new ToolCallEvent("c2", "browse", "{\"urls\":[\"https://arxiv.org/abs/2511.17006\"]}");
            yield return Budget(request, search: 3, browse: 1, cost: 0.004m);
            yield return new AnswerEvent("The BATS paper is arXiv 2511.17006 [1].", [new Citation(1, "BATS on arXiv", "https://arxiv.org/abs/2511.17006")]);
        }
    }

    [Fact]
    public async Task Stop_button_cancels_the_run_in_progress()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runner = new ScriptedAgentRunner((request, ct) => Endless(cancelled, ct));
        await using var app = await TestApp.StartAsync(runner);
        var page = await OpenAsync(app);

        var run = await page.AskAsync("A question that never finishes");
        await Expect(run.GetByTestId("step").First).ToContainTextAsync("Working", new() { Timeout = 15_000 });
        await Expect(page.GetByTestId("send")).ToBeDisabledAsync();

        await page.GetByTestId("stop").ClickAsync();

        await Expect(run.GetByTestId("run-status")).ToHaveAttributeAsync("data-status", "cancelled", new() { Timeout = 15_000 });
        await Expect(run.GetByTestId("run-status")).ToHaveTextAsync("Stopped");
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await Expect(page.GetByTestId("stop")).ToBeDisabledAsync();
        await Expect(page.GetByTestId("send")).ToBeEnabledAsync();
        await Expect(run.GetByTestId("answer")).ToHaveTextAsync(string.Empty);

        static async IAsyncEnumerable<AgentEvent> Endless(TaskCompletionSource cancelled, [EnumeratorCancellation] CancellationToken ct)
        {
            yield return new ThinkingEvent("Working on it");
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            finally
            {
                if (ct.IsCancellationRequested)
                {
                    cancelled.TrySetResult();
                }
            }

            yield return new AnswerEvent("never", []);
        }
    }

    [Fact]
    public async Task Html_in_model_output_is_shown_as_text_and_unsafe_links_are_not_made()
    {
        const string answer = "<script>window.__pwned = 1</script><b>bold</b>";
        const string step = "<img src=x onerror=\"window.__pwned = 2\">";
        var runner = new ScriptedAgentRunner((request, ct) => Events(
            new ThinkingEvent(step),
            new ToolCallEvent("c1", "browse", "{\"urls\":[\"<svg onload=alert(1)>\"]}"),
            new AnswerEvent(answer, [new Citation(1, "<i>evil</i>", "javascript:window.__pwned=3"), new Citation(2, "ok", "https://example.org/a?b=<c>")])));
        await using var app = await TestApp.StartAsync(runner);
        var page = await OpenAsync(app);

        var run = await page.AskAsync("<script>window.__pwned = 4</script>");
        await Expect(run.GetByTestId("answer")).ToHaveTextAsync(answer, Wait);
        await Expect(run.GetByTestId("run-status")).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 15_000 });

        Assert.Contains("&lt;script&gt;", await run.GetByTestId("answer").InnerHTMLAsync());
        Assert.Equal(0, await run.GetByTestId("answer").Locator("script, b").CountAsync());
        Assert.Equal(0, await run.Locator("img, svg, i").CountAsync());
        Assert.Equal(step, await run.GetByTestId("step").First.Locator(".line").TextContentAsync());
        var links = run.GetByTestId("citations").Locator("a");
        await Expect(links).ToHaveCountAsync(1);
        await Expect(links).ToHaveAttributeAsync("href", "https://example.org/a?b=%3Cc%3E");
        await Expect(run.GetByTestId("citations").Locator("li").First).ToContainTextAsync("<i>evil</i>");
        Assert.Equal("<script>window.__pwned = 4</script>", await page.Locator(".msg.user").Last.TextContentAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => window.__pwned === undefined"));
    }

    [Fact]
    public async Task Conversations_are_kept_apart_and_can_be_reopened()
    {
        var runner = new ScriptedAgentRunner((request, ct) => Events(new AnswerEvent("Answer to " + request.Question + " after " + request.History.Count + " turns", [])));
        await using var app = await TestApp.StartAsync(runner);
        var page = await OpenAsync(app);

        await page.AskAsync("first question");
        await Expect(page.GetByTestId("answer").Last).ToHaveTextAsync("Answer to first question after 0 turns", Wait);

        await page.GetByTestId("new-chat").ClickAsync();
        await Expect(page.GetByTestId("run")).ToHaveCountAsync(0);
        await page.AskAsync("second question");
        await Expect(page.GetByTestId("answer").Last).ToHaveTextAsync("Answer to second question after 0 turns", Wait);

        var conversations = page.GetByTestId("conversation");
        await Expect(conversations).ToHaveCountAsync(2);
        await Expect(conversations.First).ToHaveTextAsync("first question");
        await conversations.First.ClickAsync();
        await Expect(page.GetByTestId("answer")).ToHaveTextAsync("Answer to first question after 0 turns", Wait);
        await page.AskAsync("follow-up");
        await Expect(page.GetByTestId("answer").Last).ToHaveTextAsync("Answer to follow-up after 2 turns", Wait);
    }

    [Fact]
    public async Task Budget_above_the_server_maximum_is_refused_with_a_clear_message()
    {
        var runner = new ScriptedAgentRunner((request, ct) => Events(new AnswerEvent("should not run", [])));
        await using var app = await TestApp.StartAsync(runner, new Dictionary<string, string?> { ["ChatApp:Limits:MaxSearchUnits"] = "20" });
        var page = await OpenAsync(app);

        await page.AskAsync("spend a lot", searchUnits: 500);

        await Expect(page.GetByTestId("status")).ToHaveTextAsync(
            "budget.searchUnits is 500; it must be between 0 and the server maximum 20.", Wait);
        Assert.Empty(runner.Requests);
        await Expect(page.GetByTestId("run")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Markdown_answer_renders_a_list_code_and_a_link_and_a_citation_opens_its_source()
    {
        const string markdown = "## Findings\n\n- BATS tracks the **budget** [1]\n- ReAct does not [2]\n\n```\nvar x = [1];\n```\n\nSee [the paper](https://arxiv.org/abs/2511.17006) and `code [2]`.";
        var runner = new ScriptedAgentRunner((request, ct) => Events(
            new ThinkingEvent("Planning", "plan"),
            new AnswerEvent(markdown,
            [
                new Citation(1, "BATS on arXiv", "https://arxiv.org/abs/2511.17006") { Evidence = "Budget-aware test-time scaling", Archive = "knowledge_base/sources/arxiv.md" },
                new Citation(2, "ReAct", "https://arxiv.org/abs/2210.03629"),
            ])));
        await using var app = await TestApp.StartAsync(runner);
        var page = await OpenAsync(app);

        var run = await page.AskAsync("What is BATS?");
        var answer = run.GetByTestId("answer");
        await Expect(answer.Locator("h2")).ToHaveTextAsync("Findings", Wait);
        await Expect(answer.Locator("ul > li")).ToHaveCountAsync(2);
        await Expect(answer.Locator("strong")).ToHaveTextAsync("budget");
        await Expect(answer.Locator("pre code")).ToHaveTextAsync("var x = [1];");
        await Expect(answer.Locator("p code")).ToHaveTextAsync("code [2]");
        var paper = answer.Locator("a[href='https://arxiv.org/abs/2511.17006']");
        await Expect(paper).ToHaveTextAsync("the paper");
        await Expect(paper).ToHaveAttributeAsync("rel", "noopener noreferrer nofollow");
        await Expect(answer.Locator("a.cite")).ToHaveCountAsync(2);

        var sources = run.GetByTestId("source");
        await Expect(sources).ToHaveCountAsync(2);
        await Expect(run.GetByTestId("evidence")).ToBeHiddenAsync();
        await answer.Locator("a.cite").First.ClickAsync();

        await Expect(sources.First).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("selected"));
        await Expect(sources.Nth(1)).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("selected"));
        await Expect(run.GetByTestId("evidence")).ToBeVisibleAsync();
        await Expect(run.GetByTestId("evidence")).ToHaveTextAsync("Budget-aware test-time scaling");
        await Expect(run.GetByTestId("archive")).ToContainTextAsync("knowledge_base/sources/arxiv.md");
        await Expect(sources.First.Locator("a")).ToBeFocusedAsync();
        await Expect(sources.First.Locator("a")).ToHaveAttributeAsync("href", "https://arxiv.org/abs/2511.17006");
    }

    [Fact]
    public async Task Script_in_a_markdown_answer_or_a_page_title_stays_inert_text()
    {
        const string answer = "- <script>window.__pwned = 1</script> item\n- [click](javascript:window.__pwned=2) <img src=x onerror=\"window.__pwned=3\">\n\n<iframe src=\"https://example.org\"></iframe>";
        const string title = "<script>window.__pwned = 4</script>Evil page";
        var runner = new ScriptedAgentRunner((request, ct) => Events(
            new ToolCallEvent("c1", "web_search", "{\"queries\":[\"x\"]}"),
            new ToolResultEvent("c1", "web_search", "1 result for 1 query") { Cards = [new ResultCard(title, "https://example.org/<b>", "<img src=x onerror=\"window.__pwned=5\">")] },
            new AnswerEvent(answer, [new Citation(1, title, "https://example.org/")])));
        await using var app = await TestApp.StartAsync(runner);
        var page = await OpenAsync(app);

        var run = await page.AskAsync("q");
        await Expect(run.GetByTestId("run-status")).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 15_000 });

        await Expect(run.GetByTestId("answer").Locator("li").First).ToContainTextAsync("<script>window.__pwned = 1</script> item");
        await Expect(run.GetByTestId("answer").Locator("li").Nth(1)).ToContainTextAsync("<img src=x onerror=");
        Assert.Equal(0, await run.Locator("script, img, iframe, a[href^='javascript']").CountAsync());
        await Expect(run.GetByTestId("card").Locator(".card-title")).ToHaveTextAsync(title);
        await Expect(run.GetByTestId("source")).ToContainTextAsync(title);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__pwned === undefined"));
    }

    [Fact]
    public async Task Reload_shows_the_earlier_runs_steps_sources_and_budget()
    {
        var runner = new ScriptedAgentRunner((request, ct) => Events(
            new ThinkingEvent("Planning the search", "plan"),
            new ToolCallEvent("c1", "web_search", "{\"queries\":[\"BATS\"]}"),
            Budget(request, search: 1, browse: 0, cost: 0.001m),
            new ToolResultEvent("c1", "web_search", "1 result for 1 query") { Cards = [new ResultCard("BATS on arXiv", "https://arxiv.org/abs/2511.17006", "Budget-aware test-time scaling")] },
            Budget(request, search: 3, browse: 1, cost: 0.004m),
            new AnswerEvent("BATS is **budget-aware** [1].", [new Citation(1, "BATS on arXiv", "https://arxiv.org/abs/2511.17006")])));
        await using var app = await TestApp.StartAsync(runner);
        var page = await OpenAsync(app);
        await page.AskAsync("What is BATS?", searchUnits: 5);
        await Expect(page.GetByTestId("run").Last.GetByTestId("run-status")).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 15_000 });

        await page.ReloadAsync();
        await BrowserFixture.WaitReadyAsync(page);

        var run = page.GetByTestId("run").Last;
        await Expect(run.GetByTestId("step")).ToHaveCountAsync(2);
        await Expect(run.GetByTestId("step").First).ToContainTextAsync("Planning the search");
        await Expect(run.GetByTestId("step").Nth(1)).ToContainTextAsync("web_search {\"queries\":[\"BATS\"]}");
        await Expect(run.GetByTestId("step-result")).ToContainTextAsync("1 result for 1 query");
        await Expect(run.GetByTestId("card")).ToContainTextAsync("BATS on arXiv");
        await Expect(run.GetByTestId("budget-units")).ToHaveTextAsync("search 3/5browse 1/2");
        await Expect(run.GetByTestId("budget-totals")).ToContainTextAsync("cost $0.0040/$0.25");
        await Expect(run.GetByTestId("answer").Locator("strong")).ToHaveTextAsync("budget-aware");
        await Expect(run.GetByTestId("source").Locator("a")).ToHaveAttributeAsync("href", "https://arxiv.org/abs/2511.17006");
        await Expect(run.GetByTestId("run-status")).ToHaveAttributeAsync("data-status", "completed");
    }

    [Fact]
    public async Task Without_a_model_the_page_shows_a_banner_naming_what_to_set()
    {
        await using var app = await TestApp.StartAsync();
        var page = await OpenAsync(app);

        var banner = page.GetByTestId("no-model-banner");
        await Expect(banner).ToBeVisibleAsync();
        await Expect(banner).ToContainTextAsync("No model is configured");
        await Expect(banner).ToContainTextAsync("ChatApp:Model:Provider=onnx");
        await Expect(banner).ToContainTextAsync("ChatApp:Model:Endpoint");
        await Expect(page.GetByTestId("send")).ToBeDisabledAsync();
    }

    [Fact]
    public async Task With_a_model_there_is_no_banner_and_the_favicon_is_served()
    {
        var runner = new ScriptedAgentRunner((request, ct) => Events(new AnswerEvent("ok", [])));
        await using var app = await TestApp.StartAsync(runner);
        var page = await OpenAsync(app);

        await Expect(page.GetByTestId("no-model-banner")).ToBeHiddenAsync();
        using var http = app.CreateClient();
        using var ico = await http.GetAsync("favicon.ico");
        Assert.Equal(System.Net.HttpStatusCode.OK, ico.StatusCode);
        Assert.Equal("image/x-icon", ico.Content.Headers.ContentType?.MediaType);
        using var svg = await http.GetAsync("favicon.svg");
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Keyboard_alone_sends_a_question_and_opens_a_cited_source()
    {
        var runner = new ScriptedAgentRunner((request, ct) => Events(
            new AnswerEvent("Paris is on the Seine [1].", [new Citation(1, "Paris", "https://en.wikipedia.org/wiki/Paris") { Evidence = "The Seine flows through Paris." }])));
        await using var app = await TestApp.StartAsync(runner);
        var page = await OpenAsync(app);

        await page.GetByTestId("question").FocusAsync();
        await page.Keyboard.TypeAsync("Which river?");
        await page.Keyboard.PressAsync("Enter");
        var run = page.GetByTestId("run").Last;
        await Expect(run.GetByTestId("run-status")).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 15_000 });

        await run.Locator("a.cite").FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await Expect(run.GetByTestId("source")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("selected"));
        await Expect(run.GetByTestId("evidence")).ToBeVisibleAsync();
        await Expect(run.GetByTestId("source").Locator("a")).ToBeFocusedAsync();
        Assert.Equal("Which river?", runner.Requests.Single().Question);
    }

    [Fact]
    public async Task Page_works_at_phone_width()
    {
        var runner = new ScriptedAgentRunner((request, ct) => Events(
            new ThinkingEvent("A long step that would not fit on a phone line if it were not folded into one line with an ellipsis at the end", "plan"),
            new AnswerEvent("A **short** answer with a long address https://example.org/a/very/long/path/that/keeps/going/and/going/without/any/break", [])));
        await using var app = await TestApp.StartAsync(runner);
        var page = await browser.OpenAsync(app.BaseAddress, new() { ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true });

        await page.GetByTestId("question").FillAsync("Phone question");
        await page.GetByTestId("send").TapAsync();
        await Expect(page.GetByTestId("answer").Last.Locator("strong")).ToHaveTextAsync("short", Wait);

        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 390"), "the page scrolls sideways at 390 px");
        var composer = await page.Locator("#composer").BoundingBoxAsync();
        Assert.NotNull(composer);
        Assert.True(composer.Y >= 0 && composer.Y + composer.Height <= 844, $"the question box scrolled out of the 844 px high screen: y={composer.Y}, height={composer.Height}");
        foreach (var id in new[] { "send", "question", "new-chat", "answer" })
        {
            var box = await page.GetByTestId(id).Last.BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.X >= 0 && box.X + box.Width <= 390, $"{id} is outside the 390 px viewport: x={box.X}, width={box.Width}");
        }
    }

    private Task<IPage> OpenAsync(TestApp app) => browser.OpenAsync(app.BaseAddress);

    private static BudgetEvent Budget(AgentRunRequest request, long search, long browse, decimal cost) =>
        new([new BudgetCategoryUsage("search", search, request.Budget.SearchUnits), new BudgetCategoryUsage("browse", browse, 2), new BudgetCategoryUsage("memory", 4, null)],
            InputTokens: 100 * search, OutputTokens: 10 * search, MaxTokens: request.Budget.MaxTokens,
            CostUsd: cost, MaxCostUsd: request.Budget.MaxCostUsd,
            RemainingFraction: 1.0 - ((double)search / request.Budget.SearchUnits), Regime: search >= 3 ? "MEDIUM" : "HIGH");

    private static async IAsyncEnumerable<AgentEvent> Events(params AgentEvent[] events)
    {
        foreach (var e in events)
        {
            await Task.Yield();
            yield return e;
        }
    }
}
