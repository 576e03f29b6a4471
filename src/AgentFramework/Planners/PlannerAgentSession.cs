namespace Agents.AgentFramework;

/// <summary>The session of a <see cref="PlannerAIAgent"/>: its turns and budget spend live in the state bag.</summary>
internal sealed class PlannerAgentSession : AgentSession
{
    public PlannerAgentSession()
    {
    }

    public PlannerAgentSession(AgentSessionStateBag stateBag)
        : base(stateBag)
    {
    }
}
