namespace Agents.Budget;

/// <summary>What <see cref="IBudgetLedger.CommitAsync(string, CancellationToken)"/> (and its partial form) did.</summary>
public enum BudgetLedgerCommitStatus
{
    /// <summary>The reservation was pending; its units are now counted as used.</summary>
    Committed = 0,

    /// <summary>The reservation was committed before; nothing more is charged.</summary>
    AlreadyCommitted = 1,

    /// <summary>The reservation is unknown, was released, or its lease ended (or it was committed so long ago that
    /// the ledger no longer remembers it); nothing is charged.</summary>
    NotPending = 2,
}
