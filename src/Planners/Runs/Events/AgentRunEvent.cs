namespace Agents.Planners.Runs.Events;

/// <summary>A step of a run, streamed to UIs by <see cref="AgentRunner.RunStreamingAsync(AgentRunRequest, System.Threading.CancellationToken)"/>.</summary>
/// <remarks>Sub-runs of a strategy stream their own events, told apart by <see cref="RunId"/> and <see cref="ParentRunId"/>.</remarks>
public abstract record AgentRunEvent
{
    /// <summary>Gets the id of the run that raised the event (filled in by <see cref="AgentRunContext.Emit(AgentRunEvent)"/>).</summary>
    public string RunId { get; init; } = string.Empty;

    /// <summary>Gets the id of the strategy run that started this run, if any.</summary>
    public string? ParentRunId { get; init; }

    /// <summary>Gets the agent or strategy name.</summary>
    public string AgentName { get; init; } = string.Empty;

    /// <summary>Gets when the event was raised.</summary>
    public DateTimeOffset Timestamp { get; init; }
}
