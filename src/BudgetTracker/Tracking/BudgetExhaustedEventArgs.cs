namespace Agents.Budget;

/// <summary>Data of <see cref="BudgetTracker.Exhausted"/>: a hard limit was reached. Raised once per limit.</summary>
public sealed class BudgetExhaustedEventArgs : EventArgs
{
    internal BudgetExhaustedEventArgs(string budget, string reason)
    {
        Budget = budget;
        Reason = reason;
    }

    /// <summary>Gets the budget reached: a category name, <c>input tokens</c>, <c>output tokens</c>, <c>cost</c> or <c>time</c>.</summary>
    public string Budget { get; }

    /// <summary>Gets a text describing the limit reached.</summary>
    public string Reason { get; }
}
