namespace Agents.Budget;

/// <summary>Data of <see cref="BudgetTracker.Charged"/>: units of a call that ran were counted.</summary>
public sealed class BudgetChargedEventArgs : EventArgs
{
    internal BudgetChargedEventArgs(string category, int units, decimal costUsd, long used, long? limit, string? functionName)
    {
        Category = category;
        Units = units;
        CostUsd = costUsd;
        Used = used;
        Limit = limit;
        FunctionName = functionName;
    }

    /// <summary>Gets the category charged.</summary>
    public string Category { get; }

    /// <summary>Gets the units charged.</summary>
    public int Units { get; }

    /// <summary>Gets the cost of these units.</summary>
    public decimal CostUsd { get; }

    /// <summary>Gets the category's used units after this charge.</summary>
    public long Used { get; }

    /// <summary>Gets the category's limit, or <see langword="null"/> when unlimited.</summary>
    public long? Limit { get; }

    /// <summary>Gets the units left after this charge, or <see langword="null"/> when unlimited.</summary>
    public long? Remaining => Limit is { } l ? Math.Max(0, l - Used) : null;

    /// <summary>Gets the function charged, when known.</summary>
    public string? FunctionName { get; }
}
