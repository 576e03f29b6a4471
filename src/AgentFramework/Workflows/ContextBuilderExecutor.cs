using Agents.Planners.DeepResearch;
using Microsoft.Agents.AI.Workflows;

namespace Agents.AgentFramework;

/// <summary>
/// The deep-research Context Builder as a Workflow executor: takes the research question, searches, browses and
/// writes the knowledge base into the <see cref="DeepResearchWorkflow"/>'s workspace, and sends a
/// <see cref="ContextBuilderCompleted"/> on (to a <see cref="ReportWriterExecutor"/>, or your own executor).
/// </summary>
/// <remarks>
/// The workspace is the state: a rerun on the same workspace (a new process, or a run resumed from a framework
/// checkpoint) continues from the logged rounds and skips a finished stage without spending, and the budget's spend
/// is restored from the workspace once per <see cref="DeepResearchWorkflow"/> instance.
/// </remarks>
public sealed class ContextBuilderExecutor : Executor<string, ContextBuilderCompleted>
{
    private readonly DeepResearchWorkflow _research;

    /// <summary>Creates the executor.</summary>
    /// <param name="research">The deep-research engine (model, workspace, budget, web tools); share it with the <see cref="ReportWriterExecutor"/>.</param>
    /// <param name="id">The executor id, unique in the workflow.</param>
    /// <exception cref="ArgumentNullException"><paramref name="research"/> is null.</exception>
    public ContextBuilderExecutor(DeepResearchWorkflow research, string id = "context-builder")
        : base(id)
    {
        ArgumentNullException.ThrowIfNull(research);
        _research = research;
    }

    /// <inheritdoc/>
    public override async ValueTask<ContextBuilderCompleted> HandleAsync(string message, IWorkflowContext context, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        StageOutcome outcome = await _research.RunStageAsync(DeepResearchStage.ContextBuilder, message, cancellationToken).ConfigureAwait(false);
        return new ContextBuilderCompleted(message.Trim(), outcome);
    }
}
