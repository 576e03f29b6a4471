using Agents.Planners.DeepResearch;
using Agents.Planners.Tests.DeepResearch;
using Agents.Plugins.Memory;
using Microsoft.Agents.AI.Workflows;

namespace Agents.AgentFramework.Tests.Workflows;

/// <summary>The Context Builder and Report Writer as Agent Framework Workflow executors, over a real workspace and a local web.</summary>
public sealed class DeepResearchExecutorTests
{
    private static BudgetTracker NewBudget() =>
        new(new BudgetOptions().SetToolLimit("search", 20).SetToolLimit("browse", 40));

    private static async Task<DeepResearchResult> RunWorkflowAsync(Workflow workflow)
    {
        await using Run run = await InProcessExecution.RunAsync(workflow, ResearchFixture.Question);
        WorkflowOutputEvent output = Assert.Single(run.OutgoingEvents.OfType<WorkflowOutputEvent>());
        return Assert.IsType<DeepResearchResult>(output.Data);
    }

    [Fact]
    public async Task AWorkflowOfTheTwoExecutors_WritesAReportWhoseCitationsResolve()
    {
        await using var fixture = await ResearchFixture.StartAsync();
        BudgetTracker budget = NewBudget();
        (DeepResearchWorkflow research, _) = fixture.Create(budget);

        // Composed by hand, as a user would in their own workflow.
        var builder = new ContextBuilderExecutor(research);
        var writer = new ReportWriterExecutor(research);
        Workflow workflow = new WorkflowBuilder(builder).AddEdge(builder, writer).WithOutputFrom(writer).Build();

        DeepResearchResult result = await RunWorkflowAsync(workflow);

        Assert.Equal(StageStopReason.Completed, result.ContextBuilder.StopReason);
        Assert.Equal(StageStopReason.Completed, result.ReportWriter.StopReason);
        Assert.True(result.IsComplete);
        Assert.True(result.Citations!.IsValid, result.Citations.ToString());
        Assert.Equal([1, 2], result.Citations.Cited);
        Assert.Contains("## References", fixture.Read(DeepResearchFiles.Report), StringComparison.Ordinal);
        IReadOnlyList<ArchivedSource> sources = await new SourceArchive(fixture.Workspace).ListAsync(CancellationToken.None);
        Assert.NotEmpty(sources);
        Assert.Equal(2, result.Budget.GetCategory("search")!.Used);
    }

    [Fact]
    public async Task RerunningTheWorkflowOnTheWorkspace_InAFreshEngine_SkipsFinishedStagesAndKeepsTheBudget()
    {
        await using var fixture = await ResearchFixture.StartAsync();
        (DeepResearchWorkflow first, _) = fixture.Create(NewBudget());
        DeepResearchResult done = await RunWorkflowAsync(DeepResearchWorkflows.Build(first));
        Assert.True(done.IsComplete);

        BudgetTracker fresh = NewBudget();
        (DeepResearchWorkflow second, var model) = fixture.Create(fresh);
        DeepResearchResult again = await RunWorkflowAsync(DeepResearchWorkflows.Build(second));

        Assert.Equal(StageStopReason.AlreadyComplete, again.ContextBuilder.StopReason);
        Assert.Equal(StageStopReason.AlreadyComplete, again.ReportWriter.StopReason);
        Assert.True(again.IsComplete);
        Assert.Equal(0, model.Calls);
        Assert.Equal(done.Budget.GetCategory("search")!.Used, fresh.GetSnapshot().GetCategory("search")!.Used);
        Assert.Equal(done.Budget.InputTokens, fresh.GetSnapshot().InputTokens);
    }

    [Fact]
    public async Task AStoppedWorkflow_ResumesFromTheFrameworksCheckpoint_InAFreshEngine_WithoutRedoingTheBuilder()
    {
        await using var fixture = await ResearchFixture.StartAsync();
        CheckpointManager checkpoints = CheckpointManager.CreateInMemory();
        (DeepResearchWorkflow first, _) = fixture.Create(NewBudget());
        CheckpointInfo? afterBuilder = null;
        await using (StreamingRun run = await InProcessExecution.RunStreamingAsync(DeepResearchWorkflows.Build(first), ResearchFixture.Question, checkpoints))
        {
            await foreach (WorkflowEvent evt in run.WatchStreamAsync())
            {
                if (evt is SuperStepCompletedEvent { CompletionInfo.Checkpoint: { } checkpoint })
                {
                    afterBuilder = checkpoint;
                    await run.CancelRunAsync();
                    break;
                }
            }
        }

        Assert.NotNull(afterBuilder);
        Assert.Contains("[ALL COMPLETE]", fixture.Read(DeepResearchFiles.KnowledgeBaseLog), StringComparison.Ordinal);

        BudgetTracker fresh = NewBudget();
        (DeepResearchWorkflow second, _) = fixture.Create(fresh);
        DeepResearchResult? result = null;
        await using (StreamingRun resumed = await InProcessExecution.ResumeStreamingAsync(DeepResearchWorkflows.Build(second), afterBuilder, checkpoints))
        {
            await foreach (WorkflowEvent evt in resumed.WatchStreamAsync())
            {
                if (evt is WorkflowOutputEvent output)
                {
                    result = Assert.IsType<DeepResearchResult>(output.Data);
                }
            }
        }

        Assert.NotNull(result);
        Assert.Equal(StageStopReason.Completed, result.ContextBuilder.StopReason);
        Assert.True(result.IsComplete, result.Citations?.ToString());
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(fixture.Read(DeepResearchFiles.KnowledgeBaseLog), "^# Round \\d+$", System.Text.RegularExpressions.RegexOptions.Multiline));
        Assert.Equal(2, fresh.GetSnapshot().GetCategory("search")!.Used);
    }
}
