using Agents.Planners.Runs;

namespace Agents.AgentFramework;

/// <summary>Turns our agents into Microsoft Agent Framework agents.</summary>
public static class AgentRunnerExtensions
{
    /// <summary>Wraps the runner (BATS, ReAct, a strategy) as an <see cref="Microsoft.Agents.AI.AIAgent"/>; see <see cref="PlannerAIAgent"/>.</summary>
    /// <param name="runner">The runner.</param>
    /// <param name="description">The agent's description; optional.</param>
    /// <returns>The agent.</returns>
    public static PlannerAIAgent AsAIAgent(this AgentRunner runner, string? description = null) => new(runner, description);
}
