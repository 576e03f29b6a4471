namespace Agents.Budget.Orleans.Tests;

/// <summary>Reads one category out of a ledger's snapshot.</summary>
internal static class LedgerSnapshots
{
    public static async Task<BudgetCategorySnapshot> CategoryAsync(this IBudgetLedger ledger, string name) =>
        (await ledger.GetSnapshotAsync(CancellationToken.None)).Single(c => c.Name == name);
}
