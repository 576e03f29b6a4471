using System.Text.Json;

namespace Agents.Planners.Tests.DeepResearch;

/// <summary>A run that is cut off and resumed with a fresh tracker spends one budget in total.</summary>
public sealed class BudgetResumeTests
{
    private static BudgetTracker NewBudget(long searches = 20, long browses = 40) =>
        new(new BudgetOptions().SetToolLimit("search", searches).SetToolLimit("browse", browses));

    private static BudgetSpend ReadState(ResearchFixture fixture) =>
        JsonSerializer.Deserialize<BudgetSpend>(fixture.Read(DeepResearchFiles.BudgetState))!;

    private static (DeepResearchWorkflow Workflow, CallbackChatClient Model) CancellingWorkflow(
        ResearchFixture fixture, BudgetTracker budget, CancellationTokenSource cts, Func<IReadOnlyList<ChatMessage>, bool> cancelAt) =>
        fixture.Create(budget, onCall: messages =>
        {
            if (cancelAt(messages))
            {
                cts.Cancel();
            }
        });

    [Fact]
    public async Task CancelledRunResumedWithAFreshTrackerContinuesTheSameBudget()
    {
        await using var fixture = await ResearchFixture.StartAsync();
        fixture.Script.CompleteAtRound = 99;
        const long Searches = 3;
        var first = NewBudget(searches: Searches);
        using var cts = new CancellationTokenSource();
        var (workflow1, model1) = CancellingWorkflow(fixture, first, cts, messages =>
            messages[1].Text.Contains("Current Round: 2 /", StringComparison.Ordinal) && messages.Count(m => m.Role == ChatRole.Tool) == 1);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => workflow1.RunAsync(ResearchFixture.Question, cts.Token));

        // The file holds exactly what the first tracker spent, the last model call included.
        BudgetSnapshot cut = first.GetSnapshot();
        BudgetSpend stored = ReadState(fixture);
        Assert.Equal(first.GetSpend().Units.OrderBy(p => p.Key), stored.Units.OrderBy(p => p.Key));
        Assert.Equal(model1.Calls * 1000L, stored.InputTokens);
        Assert.Equal(model1.Calls * 200L, stored.OutputTokens);
        Assert.InRange(stored.GetUnits("search"), 1, Searches - 1);

        var second = NewBudget(searches: Searches);
        var (workflow2, model2) = fixture.Create(second);
        var result = await workflow2.RunAsync(ResearchFixture.Question, CancellationToken.None);

        // The total covers both runs and stays within the limits: the resumed builder stops when the budget of the
        // whole run is spent, not after another full budget.
        Assert.Equal(Searches, result.Budget.GetCategory("search")!.Used);
        Assert.InRange(result.Budget.GetCategory("browse")!.Used, cut.GetCategory("browse")!.Used, 40);
        Assert.Equal((model1.Calls + model2.Calls) * 1000L, result.Budget.InputTokens);
        Assert.Equal((model1.Calls + model2.Calls) * 200L, result.Budget.OutputTokens);
        Assert.True(result.Budget.Elapsed >= cut.Elapsed);
        Assert.Equal(StageStopReason.BudgetExhausted, result.ContextBuilder.StopReason);
        Assert.Equal(Searches, result.ContextBuilder.LastRound);
        Assert.Equal(StageStopReason.Completed, result.ReportWriter.StopReason);
        Assert.True(result.Citations!.IsValid, result.Citations.ToString());

        BudgetSpend final = ReadState(fixture);
        Assert.Equal(Searches, final.GetUnits("search"));
        Assert.Equal(result.Budget.GetCategory("browse")!.Used, final.GetUnits("browse"));
        Assert.Equal(result.Budget.InputTokens, final.InputTokens);
    }

    [Fact]
    public async Task ResumeOnAnExhaustedBudgetSpendsNoWebUnitsAndTheWriterStillWrites()
    {
        await using var fixture = await ResearchFixture.StartAsync();
        fixture.Script.CompleteAtRound = 99;
        var first = NewBudget(searches: 2);
        using var cts = new CancellationTokenSource();

        // Run 1 exhausts the search budget in the builder and is cancelled at the writer's first model call.
        var (workflow1, _) = CancellingWorkflow(fixture, first, cts, messages =>
            messages.Count == 2 && messages[0].Text.StartsWith("You are the Report Writer", StringComparison.Ordinal));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => workflow1.RunAsync(ResearchFixture.Question, cts.Token));
        Assert.True(cts.IsCancellationRequested);
        Assert.True(first.IsExhausted);
        Assert.False(File.Exists(fixture.Full(DeepResearchFiles.Report)));
        BudgetSnapshot cut = first.GetSnapshot();
        int pagesBefore = fixture.Web.PageRequests.Count;
        var roundsBefore = fixture.Rounds.Count;

        var second = NewBudget(searches: 2);
        var exhausted = new List<string>();
        second.Exhausted += (_, e) => exhausted.Add(e.Budget);
        var (workflow2, _) = fixture.Create(second);
        var result = await workflow2.RunAsync(ResearchFixture.Question, CancellationToken.None);

        Assert.Equal(["search"], exhausted);
        Assert.Equal(new StageOutcome(DeepResearchStage.ContextBuilder, 0, 2, StageStopReason.BudgetExhausted), result.ContextBuilder);
        Assert.Equal(2, result.Budget.GetCategory("search")!.Used);
        Assert.Equal(cut.GetCategory("browse")!.Used, result.Budget.GetCategory("browse")!.Used);
        Assert.Equal(pagesBefore, fixture.Web.PageRequests.Count);
        Assert.DoesNotContain(fixture.Rounds.Skip(roundsBefore), r => r.System.StartsWith("You are the Context Builder", StringComparison.Ordinal));
        Assert.Equal(StageStopReason.Completed, result.ReportWriter.StopReason);
        Assert.Contains("## Solar", fixture.Read(DeepResearchFiles.Report));
        Assert.True(result.Citations!.IsValid, result.Citations.ToString());
        Assert.True(result.Budget.InputTokens > cut.InputTokens);
    }

    [Fact]
    public async Task AnInvalidBudgetStateIsReportedNamingTheFile()
    {
        await using var fixture = await ResearchFixture.StartAsync();
        await File.WriteAllTextAsync(fixture.Full(DeepResearchFiles.Task), ResearchFixture.Question + "\n");
        await File.WriteAllTextAsync(fixture.Full(DeepResearchFiles.BudgetState), "{ not json");
        var (workflow, model) = fixture.Create(NewBudget());

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => workflow.RunAsync(ResearchFixture.Question, CancellationToken.None));
        Assert.Contains(DeepResearchFiles.BudgetState, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, model.Calls);

        await File.WriteAllTextAsync(fixture.Full(DeepResearchFiles.BudgetState), """{ "Units": { "fetch": 3 } }""");
        var budget = NewBudget();
        (workflow, model) = fixture.Create(budget);
        error = await Assert.ThrowsAsync<InvalidDataException>(() => workflow.RunAsync(ResearchFixture.Question, CancellationToken.None));
        Assert.Contains("'fetch'", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, model.Calls);
        Assert.Equal(0, budget.GetSnapshot().GetCategory("search")!.Used);

        await File.WriteAllTextAsync(fixture.Full(DeepResearchFiles.BudgetState), """{ "Units": { "search": -1 } }""");
        (workflow, _) = fixture.Create(NewBudget());
        error = await Assert.ThrowsAsync<InvalidDataException>(() => workflow.RunAsync(ResearchFixture.Question, CancellationToken.None));
        Assert.Contains("must not be negative", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSameWorkflowRestoresTheStoredSpendOnlyOnce()
    {
        await using var fixture = await ResearchFixture.StartAsync();
        var budget = NewBudget();
        var (workflow, model) = fixture.Create(budget);
        var first = await workflow.RunAsync(ResearchFixture.Question, CancellationToken.None);
        var calls = model.Calls;

        var again = await workflow.RunAsync(ResearchFixture.Question, CancellationToken.None);

        Assert.Equal(calls, model.Calls);
        Assert.Equal(first.Budget.InputTokens, again.Budget.InputTokens);
        Assert.Equal(first.Budget.GetCategory("search")!.Used, again.Budget.GetCategory("search")!.Used);
        Assert.Equal(first.Budget.InputTokens, ReadState(fixture).InputTokens);
    }
}
