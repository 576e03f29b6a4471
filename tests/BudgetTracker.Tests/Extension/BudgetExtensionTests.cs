using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace Agents.Budget.Tests.Extension;

/// <summary>Issue 18 item 3: a call refused because its category is spent asks the approver, and runs when more is granted.</summary>
public sealed class BudgetExtensionTests : IDisposable
{
    private readonly BudgetSpans _spans = new();
    private int _runs;

    public void Dispose() => _spans.Dispose();

    [Fact]
    public async Task Granted_TheRefusedCallRuns_IsCharged_AndTheLimitGrew_WithReceipts()
    {
        var approver = new CallbackApprover((r, _) => ValueTask.FromResult(r.OfferedUnits));
        var logs = new ListLoggerFactory();
        BudgetTracker tracker = Tracker(approver, ask: 2, logs);
        var receipts = new List<BudgetExtensionEventArgs>();
        tracker.ExtensionAnswered += (_, e) => receipts.Add(e);
        AIFunction tool = Tool("ext_grant");

        BudgetedToolResult first = await tracker.InvokeToolAsync(tool, Items(1), CancellationToken.None);
        BudgetedToolResult second = await tracker.InvokeToolAsync(tool, Items(3), CancellationToken.None);

        Assert.True(first.Executed);
        Assert.True(second.Executed);
        Assert.StartsWith("3 done\n<budget>", second.Result, StringComparison.Ordinal);
        Assert.Equal(4, _runs);
        BudgetExtensionRequest asked = Assert.Single(approver.Requests);
        Assert.Equal(("search", "ext_grant", 1L, 1L, 3, 3), (asked.Category, asked.ToolName, asked.UsedUnits, asked.Limit, asked.RequestedUnits, asked.OfferedUnits));
        Assert.Equal("The search budget is spent; continue with 3 more?", asked.Text);
        BudgetCategorySnapshot search = tracker.GetSnapshot().GetCategory("search")!;
        Assert.Equal((4L, (long?)4L), (search.Used, search.Limit));

        BudgetExtensionEventArgs receipt = Assert.Single(receipts);
        Assert.True(receipt.Granted);
        Assert.Equal((3, 4L), (receipt.GrantedUnits, receipt.Limit));
        Assert.Contains(logs.Entries, e => e.Message.Contains("Extension granted: 3 more search unit(s) for ext_grant; the limit is now 4.", StringComparison.Ordinal));
        Activity span = _spans.Of("ext_grant").Last();
        Assert.Equal("granted", span.GetTagItem("agents.budget.outcome"));
        Assert.Equal(("granted", (int?)3, (int?)3), Extension(span));
    }

    [Fact]
    public async Task Declined_TheCallIsRefusedAsWithoutAnApprover()
    {
        var approver = new CallbackApprover((_, _) => ValueTask.FromResult(0));
        var logs = new ListLoggerFactory();
        BudgetTracker asking = Tracker(approver, ask: null, logs);
        BudgetTracker plain = Tracker(null, ask: null);
        var receipts = new List<BudgetExtensionEventArgs>();
        asking.ExtensionAnswered += (_, e) => receipts.Add(e);
        AIFunction tool = Tool("ext_decline");

        await asking.InvokeToolAsync(tool, Items(1), CancellationToken.None);
        await plain.InvokeToolAsync(tool, Items(1), CancellationToken.None);
        BudgetedToolResult refused = await asking.InvokeToolAsync(tool, Items(1), CancellationToken.None);
        BudgetedToolResult expected = await plain.InvokeToolAsync(tool, Items(1), CancellationToken.None);

        Assert.Equal(BudgetedToolOutcome.Refused, refused.Outcome);
        Assert.Equal(expected.Result, refused.Result);
        Assert.True(refused.ShouldTerminate);
        Assert.Equal(2, _runs);
        Assert.Equal(5, Assert.Single(approver.Requests).OfferedUnits);
        Assert.False(Assert.Single(receipts).Granted);
        Assert.Equal((1L, (long?)1L), (asking.GetSnapshot().GetCategory("search")!.Used, asking.GetSnapshot().GetCategory("search")!.Limit));
        Assert.Contains(logs.Entries, e => e.Message.Contains("Extension declined: no more search units for ext_decline", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.Message.StartsWith("Refused ext_decline: The search budget is exhausted", StringComparison.Ordinal));
        Activity span = _spans.Of("ext_decline").Last(s => s.GetTagItem("agents.budget.extension.outcome") is not null);
        Assert.Equal("refused", span.GetTagItem("agents.budget.outcome"));
        Assert.Equal(("declined", (int?)5, (int?)0), Extension(span));

        // The decline is final for the category: it is exhausted again, and its next call is refused without asking.
        Assert.True(asking.IsExhausted);
        Assert.Equal(BudgetedToolOutcome.Refused, (await asking.InvokeToolAsync(tool, Items(1), CancellationToken.None)).Outcome);
        Assert.Single(approver.Requests);
    }

    [Fact]
    public async Task SpentCategory_DoesNotExhaustTheTracker_WhileItCanStillBeAsked()
    {
        var approver = new CallbackApprover((r, _) => ValueTask.FromResult(r.OfferedUnits));
        BudgetTracker tracker = Tracker(approver, ask: 2);

        BudgetedToolResult result = await tracker.InvokeToolAsync(Tool("ext_soft"), Items(1), CancellationToken.None);

        Assert.False(result.ShouldTerminate);
        Assert.False(tracker.IsExhausted);
        Assert.Single(tracker.GetSnapshot().ExhaustedReasons);
        BudgetTracker plain = Tracker(null, ask: 2);
        BudgetedToolResult last = await plain.InvokeToolAsync(Tool("ext_soft"), Items(1), CancellationToken.None);
        Assert.True(last.ShouldTerminate);
        Assert.True(plain.IsExhausted);
    }

    [Fact]
    public async Task ApproverThrows_TheCallIsRefused_NothingIsHeld_AndTheNextCallAsksAgain()
    {
        int asked = 0;
        var approver = new CallbackApprover((_, _) => ++asked == 1 ? throw new InvalidOperationException("page closed") : ValueTask.FromResult(1));
        var logs = new ListLoggerFactory();
        BudgetTracker tracker = Tracker(approver, ask: 1, logs);
        var receipts = new List<BudgetExtensionEventArgs>();
        tracker.ExtensionAnswered += (_, e) => receipts.Add(e);
        AIFunction tool = Tool("ext_throw");

        await tracker.InvokeToolAsync(tool, Items(1), CancellationToken.None);
        BudgetedToolResult refused = await tracker.InvokeToolAsync(tool, Items(1), CancellationToken.None);

        Assert.Equal(BudgetedToolOutcome.Refused, refused.Outcome);
        BudgetCategorySnapshot search = tracker.GetSnapshot().GetCategory("search")!;
        Assert.Equal((1L, 0L, (long?)1L), (search.Used, search.InFlight, search.Limit));
        Assert.IsType<InvalidOperationException>(Assert.Single(receipts).Error);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("extension approver failed for search", StringComparison.Ordinal));
        Assert.Equal("failed", Extension(_spans.Of("ext_throw").Last(s => s.GetTagItem("agents.budget.extension.outcome") is not null)).Outcome);

        BudgetedToolResult again = await tracker.InvokeToolAsync(tool, Items(1), CancellationToken.None);
        Assert.True(again.Executed);
        Assert.Equal(2, approver.Requests.Count);
        Assert.Equal(2, _runs);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ConcurrentRefusedCalls_AreAskedOneAtATime_AndRetryAfterTheAnswer(bool grant)
    {
        var answer = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var approver = new CallbackApprover(async (_, _) => await answer.Task);
        BudgetTracker tracker = Tracker(approver, ask: 3);
        AIFunction tool = Tool("ext_parallel");
        await tracker.InvokeToolAsync(tool, Items(1), CancellationToken.None);

        // Each call runs synchronously up to its first wait: the first reaches the approver, the others wait for its answer.
        Task<BudgetedToolResult>[] calls = [.. Enumerable.Range(0, 3).Select(_ => tracker.InvokeToolAsync(tool, Items(1), CancellationToken.None))];

        Assert.Single(approver.Requests);
        Assert.All(calls, c => Assert.False(c.IsCompleted));
        answer.SetResult(grant ? 3 : 0);
        BudgetedToolResult[] results = await Task.WhenAll(calls);

        Assert.Single(approver.Requests);
        Assert.Equal(1, approver.MaxInFlight);
        Assert.All(results, r => Assert.Equal(grant ? BudgetedToolOutcome.Executed : BudgetedToolOutcome.Refused, r.Outcome));
        Assert.Equal(grant ? 4 : 1, _runs);
        Assert.Equal(grant ? 4 : 1, tracker.GetSnapshot().GetCategory("search")!.Used);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ChatClientMiddleware_PausesTheLoop_AndGoesOnWhenGranted(bool streaming)
    {
        var approver = new CallbackApprover((r, _) => ValueTask.FromResult(r.OfferedUnits));
        BudgetTracker tracker = Tracker(approver, ask: 2);
        AIFunction tool = Tool("ext_meai");
        var model = new ScriptedChatClient((messages, options, turn) =>
            turn < 3 ? Script.ToolCalls("ext_meai", 1, 1, 10, 1, turn) : Script.Answer("answer after three searches", 10, 1));
        IChatClient client = new ChatClientBuilder(model).UseBudgetTracker(tracker).UseFunctionInvocation().Build();
        var chat = new ChatOptions { Tools = [tool] };

        string text = streaming
            ? (await client.GetStreamingResponseAsync("go", chat).ToChatResponseAsync()).Text
            : (await client.GetResponseAsync("go", chat)).Text;

        Assert.Equal("answer after three searches", text);
        Assert.Equal(4, model.Calls.Count);
        Assert.Equal(3, _runs);
        Assert.Single(approver.Requests);
        Assert.Contains("Search used: 2, remaining: 1", Script.LastToolResult(model.Calls[2].Messages), StringComparison.Ordinal);
        Assert.Equal((3L, (long?)3L), (tracker.GetSnapshot().GetCategory("search")!.Used, tracker.GetSnapshot().GetCategory("search")!.Limit));
    }

    [Fact]
    public async Task KernelFilter_AsksToo()
    {
        var approver = new CallbackApprover((r, _) => ValueTask.FromResult(r.OfferedUnits));
        BudgetTracker tracker = Tracker(approver, ask: 1);
        var kernel = new Kernel();
        kernel.Plugins.AddFromFunctions("p", [KernelFunctionFactory.CreateFromMethod((string[] queries) => Run(queries), "ext_sk")]);
        kernel.UseBudgetTracker(tracker);

        await kernel.InvokeAsync("p", "ext_sk", new KernelArguments { ["queries"] = new[] { "a" } });
        FunctionResult second = await kernel.InvokeAsync("p", "ext_sk", new KernelArguments { ["queries"] = new[] { "b" } });

        Assert.StartsWith("1 done", second.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, _runs);
        Assert.Single(approver.Requests);
    }

    [Fact]
    public async Task TokenMoneyAndTimeLimits_NeverAsk()
    {
        var approver = new CallbackApprover((_, _) => throw new InvalidOperationException("must not be asked"));
        var time = new FakeTimeProvider();
        var options = new BudgetOptions { ExtensionApprover = approver, MaxInputTokens = 100 }
            .SetToolLimit("search", 1)
            .AddToolMapping("ext_*", "search", "queries");
        AIFunction tool = Tool("ext_limits");

        // Tokens spent (and the category too): refused for the tokens, not asked.
        var tokens = new BudgetTracker(options, time);
        await tokens.InvokeToolAsync(tool, Items(1), CancellationToken.None);
        tokens.RecordUsage(new UsageDetails { InputTokenCount = 100, OutputTokenCount = 0 });
        Assert.Equal(BudgetedToolOutcome.Refused, (await tokens.InvokeToolAsync(tool, Items(1), CancellationToken.None)).Outcome);

        // Money spent by a call the category would allow after an extension: refused for the money, not asked.
        var moneyOptions = new BudgetOptions { ExtensionApprover = approver, MaxCostUsd = 0.015m }.SetToolLimit("search", 1).AddToolMapping("ext_*", "search", "queries");
        moneyOptions.Pricing.SetUnitPrice("search", 0.01m);
        var money = new BudgetTracker(moneyOptions);
        await money.InvokeToolAsync(tool, Items(1), CancellationToken.None);
        Assert.Equal(BudgetedToolOutcome.Refused, (await money.InvokeToolAsync(tool, Items(1), CancellationToken.None)).Outcome);

        // Time up: refused for the time, not asked.
        var timed = new BudgetTracker(new BudgetOptions { ExtensionApprover = approver, MaxDuration = TimeSpan.FromMinutes(1) }.SetToolLimit("search", 1).AddToolMapping("ext_*", "search", "queries"), time);
        await timed.InvokeToolAsync(tool, Items(1), CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(BudgetedToolOutcome.Refused, (await timed.InvokeToolAsync(tool, Items(1), CancellationToken.None)).Outcome);

        // A parent's spent category: the child cannot extend it, so it does not ask.
        var parent = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 1).AddToolMapping("ext_*", "search", "queries"));
        BudgetTracker child = parent.CreateChild(new BudgetOptions { ExtensionApprover = approver }.SetToolLimit("search", 5).AddToolMapping("ext_*", "search", "queries"));
        await child.InvokeToolAsync(tool, Items(1), CancellationToken.None);
        Assert.Equal(BudgetedToolOutcome.Refused, (await child.InvokeToolAsync(tool, Items(1), CancellationToken.None)).Outcome);

        Assert.Empty(approver.Requests);
        Assert.Equal(4, _runs);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void AskForMoreUnits_BelowOne_FailsValidation(int units)
    {
        var options = new BudgetOptions { AskForMoreUnits = units };

        OptionsValidationException ex = Assert.Throws<OptionsValidationException>(options.Validate);

        Assert.Contains("AskForMoreUnits", ex.Message, StringComparison.Ordinal);
        Assert.Throws<OptionsValidationException>(() => new BudgetTracker(options));
    }

    [Fact]
    public async Task AddBudgetTracker_TakesTheApproverFromTheServices()
    {
        var approver = new CallbackApprover((r, _) => ValueTask.FromResult(r.OfferedUnits));
        var services = new ServiceCollection();
        services.AddSingleton<IBudgetExtensionApprover>(approver);
        services.AddBudgetTracker(o => o.SetToolLimit("search", 1).AddToolMapping("ext_*", "search", "queries").AskForMoreUnits = 2);
        using ServiceProvider provider = services.BuildServiceProvider();
        BudgetTracker tracker = provider.GetRequiredService<BudgetTracker>();
        AIFunction tool = Tool("ext_di");

        await tracker.InvokeToolAsync(tool, Items(1), CancellationToken.None);
        BudgetedToolResult second = await tracker.InvokeToolAsync(tool, Items(1), CancellationToken.None);

        Assert.Same(approver, tracker.Options.ExtensionApprover);
        Assert.True(second.Executed);
        Assert.Equal(2, Assert.Single(approver.Requests).OfferedUnits);
    }

    private static BudgetTracker Tracker(IBudgetExtensionApprover? approver, int? ask, ILoggerFactory? logs = null) =>
        new(new BudgetOptions { ExtensionApprover = approver, AskForMoreUnits = ask }.SetToolLimit("search", 1).AddToolMapping("ext_*", "search", "queries"), loggerFactory: logs);

    private static AIFunctionArguments Items(int n) => new() { ["queries"] = Enumerable.Range(0, n).Select(i => $"q{i}").ToArray() };

    private static (string? Outcome, int? Offered, int? Units) Extension(Activity span) =>
        (span.GetTagItem("agents.budget.extension.outcome") as string, span.GetTagItem("agents.budget.extension.offered") as int?, span.GetTagItem("agents.budget.extension.units") as int?);

    private AIFunction Tool(string name) => AIFunctionFactory.Create((string[] queries) => Run(queries), name);

    private string Run(string[] queries)
    {
        Interlocked.Add(ref _runs, queries.Length);
        return $"{queries.Length} done";
    }
}
