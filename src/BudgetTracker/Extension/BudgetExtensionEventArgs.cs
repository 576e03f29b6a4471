namespace Agents.Budget;

/// <summary>Data of <see cref="BudgetTracker.ExtensionAnswered"/>: the receipt of one question to the <see cref="IBudgetExtensionApprover"/>.</summary>
public sealed class BudgetExtensionEventArgs : EventArgs
{
    internal BudgetExtensionEventArgs(BudgetExtensionRequest request, int grantedUnits, long limit, Exception? error)
    {
        Request = request;
        GrantedUnits = grantedUnits;
        Limit = limit;
        Error = error;
    }

    /// <summary>Gets what was asked.</summary>
    public BudgetExtensionRequest Request { get; }

    /// <summary>Gets the units granted; 0 when declined.</summary>
    public int GrantedUnits { get; }

    /// <summary>Gets a value indicating whether more units were granted.</summary>
    public bool Granted => GrantedUnits > 0;

    /// <summary>Gets the category's limit after the answer.</summary>
    public long Limit { get; }

    /// <summary>Gets the exception the approver threw (a decline), if any.</summary>
    public Exception? Error { get; }
}
