using System.Reflection;
using System.Runtime.CompilerServices;
using Agents.Budget;
using Agents.Planners.DeepResearch;
using Agents.Planners.DeepResearch.TestHost;
using Microsoft.Extensions.AI;

namespace Agents.Planners.Tests.DeepResearch;

/// <summary>
/// The staged run (<see cref="DeepResearchWorkflow.RunStageAsync"/> then <see cref="DeepResearchWorkflow.CompleteAsync"/>) is
/// public API, which the Agent Framework executors call as any host would: the planners show their internals only to
/// their tests and benchmarks.
/// </summary>
public sealed class StagedRunApiTests : IDisposable
{
    private readonly TestWorkspaces _workspaces = new("agents-deepresearch-staged");

    public void Dispose() => _workspaces.Dispose();

    [Fact]
    public async Task RunStageAsync_UnknownStage_IsRefusedBeforeAnythingIsWritten()
    {
        int calls = 0;
        DeepResearchWorkflow workflow = Workflow(() => calls++);

        ArgumentOutOfRangeException error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => workflow.RunStageAsync((DeepResearchStage)42, "Why?", CancellationToken.None));

        Assert.Equal("stage", error.ParamName);
        Assert.Contains("Unknown deep-research stage 42", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, calls);
        Assert.False(File.Exists(Path.Combine(_workspaces.Root, DeepResearchFiles.Task)));
    }

    [Fact]
    public async Task CompleteAsync_WithoutAStageOutcome_IsRefusedByName()
    {
        DeepResearchWorkflow workflow = Workflow(() => { });
        var done = new StageOutcome(DeepResearchStage.ReportWriter, 0, 0, default);

        Assert.Equal("builder", (await Assert.ThrowsAsync<ArgumentNullException>(() => workflow.CompleteAsync(null!, done, CancellationToken.None))).ParamName);
        Assert.Equal("writer", (await Assert.ThrowsAsync<ArgumentNullException>(() => workflow.CompleteAsync(done, null!, CancellationToken.None))).ParamName);
    }

    [Fact]
    public void PlannersPackage_ShowsItsInternals_OnlyToTestsAndBenchmarks()
    {
        string[] friends = [.. typeof(DeepResearchWorkflow).Assembly.GetCustomAttributes<InternalsVisibleToAttribute>().Select(a => a.AssemblyName)];

        Assert.NotEmpty(friends);
        Assert.All(friends, name => Assert.True(name.EndsWith(".Tests", StringComparison.Ordinal) || name.EndsWith(".Benchmarks", StringComparison.Ordinal), $"Agents.Planners shows its internals to {name}."));
    }

    private DeepResearchWorkflow Workflow(Action onModelCall)
    {
        var model = new CallbackChatClient((_, _) =>
        {
            onModelCall();
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, "[ALL COMPLETE]"));
        });
        return new DeepResearchWorkflow(model, _workspaces.Open(), new BudgetTracker(new BudgetOptions()), []);
    }
}
