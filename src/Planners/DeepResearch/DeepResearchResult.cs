using Agents.Plugins.Memory;

namespace Agents.Planners.DeepResearch;

/// <summary>The result of a <see cref="DeepResearchWorkflow"/> run.</summary>
/// <param name="ContextBuilder">What the Context Builder stage did.</param>
/// <param name="ReportWriter">What the Report Writer stage did.</param>
/// <param name="ReportPath">The absolute path of <c>report.md</c>.</param>
/// <param name="Citations">The citation check of the report; <see langword="null"/> when no report exists.</param>
/// <param name="Budget">The budget at the end of the run.</param>
public sealed record DeepResearchResult(
    StageOutcome ContextBuilder,
    StageOutcome ReportWriter,
    string ReportPath,
    CitationReport? Citations,
    BudgetSnapshot Budget)
{
    /// <summary>Gets whether both stages finished and the report's citations all resolve.</summary>
    public bool IsComplete =>
        ContextBuilder.StopReason is StageStopReason.Completed or StageStopReason.AlreadyComplete
        && ReportWriter.StopReason is StageStopReason.Completed or StageStopReason.AlreadyComplete
        && Citations is { IsValid: true };
}
