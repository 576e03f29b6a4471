using System.Collections.Concurrent;

namespace Agents.AgentFramework;

/// <summary>Tool calls the function layer refused because their category is spent, by call id, for the run layer to ask about.</summary>
internal sealed class BudgetAskState
{
    public ConcurrentDictionary<string, (string Category, FunctionCallContent Call)> Refused { get; } = new(StringComparer.Ordinal);
}
