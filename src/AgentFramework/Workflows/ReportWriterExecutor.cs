using Agents.Planners.DeepResearch;
using Microsoft.Agents.AI.Workflows;

namespace Agents.AgentFramework;

/// <summary>
/// The deep-research Report Writer as a Workflow executor: takes a <see cref="ContextBuilderCompleted"/>, writes
/// <c>report.md</c> section by section from the workspace's knowledge base, checks that its citations resolve to
/// archived sources, and returns the <see cref="DeepResearchResult"/> (register it with <c>WithOutputFrom</c> to get it as
/// the workflow's output).
/// </summary>
/// <remarks>Like <see cref="ContextBuilderExecutor"/>, it resumes from the workspace and skips a finished stage.</remarks>
public sealed class ReportWriterExecutor : Executor<ContextBuilderCompleted, DeepResearchResult>
{
    private readonly DeepResearchWorkflow _research;

    /// <summary>Creates the executor.</summary>
    /// <param name="research">The deep-research engine shared with the <see cref="ContextBuilderExecutor"/>.</param>
    /// <param name="id">The executor id, unique in the workflow.</param>
    /// <exception cref="ArgumentNullException"><paramref name="research"/> is null.</exception>
    public ReportWriterExecutor(DeepResearchWorkflow research, string id = "report-writer")
        : base(id)
    {
        ArgumentNullException.ThrowIfNull(research);
        _research = research;
    }

    /// <inheritdoc/>
    public override async ValueTask<DeepResearchResult> HandleAsync(ContextBuilderCompleted message, IWorkflowContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        StageOutcome writer = await _research.RunStageAsync(DeepResearchStage.ReportWriter, message.Question, cancellationToken).ConfigureAwait(false);
        return await _research.CompleteAsync(message.Outcome, writer, cancellationToken).ConfigureAwait(false);
    }
}
