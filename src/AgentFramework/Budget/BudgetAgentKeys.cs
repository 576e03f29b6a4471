namespace Agents.AgentFramework;

/// <summary>Keys under which the budget middleware and our agents put budget data into framework objects.</summary>
public static class BudgetAgentKeys
{
    /// <summary>The <c>AgentResponse.AdditionalProperties</c> key of the <see cref="Agents.Budget.BudgetSnapshot"/> taken when the run ended.</summary>
    public const string Snapshot = "agents.budget.snapshot";

    /// <summary>The <c>AgentSession.StateBag</c> key of the session's <see cref="Agents.Budget.BudgetSpend"/>.</summary>
    public const string SessionSpend = "agents.budget.spend";
}
