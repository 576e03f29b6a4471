using Agents.Planners.DeepResearch;
using Microsoft.Agents.AI.Workflows;

namespace Agents.AgentFramework;

/// <summary>Builds Agent Framework Workflows from the deep-research executors.</summary>
public static class DeepResearchWorkflows
{
    /// <summary>
    /// Builds the two-stage workflow: a <see cref="ContextBuilderExecutor"/> (input: the question) followed by a
    /// <see cref="ReportWriterExecutor"/> whose <see cref="DeepResearchResult"/> is the workflow's output.
    /// </summary>
    /// <param name="research">The deep-research engine both executors use.</param>
    /// <returns>The workflow; run it with <c>InProcessExecution.RunAsync(workflow, question)</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="research"/> is null.</exception>
    public static Workflow Build(DeepResearchWorkflow research)
    {
        ArgumentNullException.ThrowIfNull(research);
        var builder = new ContextBuilderExecutor(research);
        var writer = new ReportWriterExecutor(research);
        return new WorkflowBuilder(builder)
            .AddEdge(builder, writer)
            .WithOutputFrom(writer)
            .WithName("deep-research")
            .Build();
    }
}
