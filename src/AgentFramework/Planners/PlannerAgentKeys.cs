namespace Agents.AgentFramework;

/// <summary>Keys under which a <see cref="PlannerAIAgent"/> puts its run data into <c>AdditionalProperties</c>.</summary>
public static class PlannerAgentKeys
{
    /// <summary>The key of the whole <see cref="Agents.Planners.Runs.AgentRunResult"/> (on the response and on the answer update).</summary>
    public const string Result = "agents.run.result";

    /// <summary>The key of the run's status, as the <see cref="Agents.Planners.Runs.AgentRunStatus"/> name.</summary>
    public const string Status = "agents.run.status";

    /// <summary>The key of the answer's confidence from 0 to 1, when the agent estimated it.</summary>
    public const string Confidence = "agents.run.confidence";

    /// <summary>The key of the run's <see cref="Agents.Planners.Runs.AgentRunCost"/> (tokens, units per category, US dollars).</summary>
    public const string Cost = "agents.run.cost";

    /// <summary>The key of the <see cref="Agents.Planners.Runs.Events.AgentRunEvent"/> a streamed update renders.</summary>
    public const string Event = "agents.run.event";
}
