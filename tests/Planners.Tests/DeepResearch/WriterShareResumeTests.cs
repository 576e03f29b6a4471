using System.Text.Json;

namespace Agents.Planners.Tests.DeepResearch;

/// <summary>The Report Writer's child budget is kept in the workspace and continued when a cut-off writer resumes.</summary>
public sealed class WriterShareResumeTests
{
    private const long MaxOutput = 1_000_000;

    private static BudgetTracker NewBudget() =>
        new(new BudgetOptions { MaxOutputTokens = MaxOutput }.SetToolLimit("search", 20).SetToolLimit("browse", 40));

    private static ChildBudgetState ReadWriter(ResearchFixture fixture) =>
        JsonSerializer.Deserialize<ChildBudgetState>(fixture.Read(StoredChildBudget.WriterPath))!;

    [Fact]
    public async Task TheWritersChildBudgetIsRestoredOnResume()
    {
        await using var fixture = await ResearchFixture.StartAsync();
        using var cts = new CancellationTokenSource();
        var writerCalls = 0;
        var (cutWorkflow, model) = fixture.Create(NewBudget(), onCall: messages =>
        {
            if (messages[0].Text.StartsWith("You are the Report Writer", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref writerCalls);
                if (messages.Count == 2 && messages[1].Text.Contains("Current Round: 2 /", StringComparison.Ordinal))
                {
                    cts.Cancel();
                }
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cutWorkflow.RunAsync(ResearchFixture.Question, cts.Token));

        // Cut off in its second round: the writer's file is open and holds exactly the writer's calls; its limit is all the
        // run had left when the writer started.
        var cut = ReadWriter(fixture);
        var builderOutput = (model.Calls - writerCalls) * ResearchScript.Usage.OutputTokenCount!.Value;
        Assert.True(cut.Open);
        Assert.Equal(StoredChildBudget.WriterOwner, cut.Owner);
        Assert.Equal(3, writerCalls);
        Assert.Equal(writerCalls * ResearchScript.Usage.OutputTokenCount!.Value, cut.Spend.OutputTokens);
        Assert.Equal(writerCalls * ResearchScript.Usage.InputTokenCount!.Value, cut.Spend.InputTokens);
        Assert.Equal(MaxOutput - builderOutput, cut.Limits.MaxOutputTokens);

        var (workflow, resumedModel) = fixture.Create(NewBudget());
        var result = await workflow.RunAsync(ResearchFixture.Question, CancellationToken.None);

        // Resumed with its stored limit and spend (a fresh share would have been the smaller remainder): the file adds the
        // resumed calls to the earlier ones, and the run's output is the builder's plus the writer's.
        Assert.Equal(StageStopReason.AlreadyComplete, result.ContextBuilder.StopReason);
        Assert.Equal(StageStopReason.Completed, result.ReportWriter.StopReason);
        var final = ReadWriter(fixture);
        Assert.False(final.Open);
        Assert.Equal(cut.Limits.MaxOutputTokens, final.Limits.MaxOutputTokens);
        Assert.Equal((writerCalls + resumedModel.Calls) * ResearchScript.Usage.OutputTokenCount!.Value, final.Spend.OutputTokens);
        Assert.Equal(builderOutput + final.Spend.OutputTokens, result.Budget.OutputTokens);
    }
}
