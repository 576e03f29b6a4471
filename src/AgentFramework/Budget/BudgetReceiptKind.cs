namespace Agents.AgentFramework;

/// <summary>The kind of a budget decision recorded as a <see cref="BudgetReceipt"/>.</summary>
public enum BudgetReceiptKind
{
    /// <summary>A tool call was charged and ran.</summary>
    Granted,

    /// <summary>A tool call was refused (budget, or arguments the units could not be counted from).</summary>
    Refused,

    /// <summary>A budget limit was reached.</summary>
    Exhausted,

    /// <summary>The user granted more units to a paused run.</summary>
    Extended,

    /// <summary>The user declined to grant more units to a paused run.</summary>
    Declined,
}
