namespace Agents.Budget.Tests.Fakes;

/// <summary>A shared ledger whose every call times out, as when no silo answers.</summary>
internal sealed class UnreachableLedger : IBudgetLedger
{
    public Task<BudgetLedgerReservation> ReserveAsync(string category, int units, TimeSpan lease, CancellationToken cancellationToken) =>
        throw new TimeoutException("no silo answered");

    public Task<BudgetLedgerCommitStatus> CommitAsync(string reservationId, CancellationToken cancellationToken) => throw new TimeoutException();

    public Task<bool> ReleaseAsync(string reservationId, CancellationToken cancellationToken) => throw new TimeoutException();

    public Task<IReadOnlyList<BudgetCategorySnapshot>> GetSnapshotAsync(CancellationToken cancellationToken) => throw new TimeoutException();
}
